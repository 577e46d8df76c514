using OtpFunctions.Challenges;

namespace OtpFunctions.Supabase;

/// <summary>
/// One message a hook call asks for: Supabase's code, where it goes, the template that carries it (null: the
/// <see cref="SupabaseRelay.Purpose"/> template of its channel) and the language to write it in.
/// </summary>
public sealed record HookMessage(Destination Destination, string Code, string? Template, string Locale);
