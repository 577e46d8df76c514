namespace OtpFunctions.Delivery.Templates;

/// <summary>The variables a template sees; <c>codeInSubject</c> is the operator's opt-in for putting the code in subjects.</summary>
public sealed record TemplateValues(string Code, int Minutes, string AppName, string Purpose, bool CodeInSubject = false);
