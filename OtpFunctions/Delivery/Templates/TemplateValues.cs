namespace OtpFunctions.Delivery.Templates;

/// <summary>The variables a template sees; <c>codeInSubject</c> is the operator's opt-in for putting the code in subjects.</summary>
public sealed record TemplateValues(string Code, int Minutes, string AppName, string Purpose, bool CodeInSubject = false)
{
    /// <summary>"1, 2, 3, 4, 5, 6": text-to-speech reads each digit alone, with a pause, instead of "one hundred twenty-three thousand".</summary>
    public string Digits => string.Join(", ", Code.ToCharArray());
}
