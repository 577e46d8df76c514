namespace OtpFunctions.Delivery;

/// <summary>A rendered message ready for a provider: SMS uses <see cref="Text"/> only.</summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html);
