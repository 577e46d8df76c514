using System.Text.Json.Serialization;

namespace OtpFunctions.Client;

/// <summary>Source-generated JSON for the contract's bodies, so the client needs no reflection (trimming and AOT).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendRequest))]
[JsonSerializable(typeof(ResendRequest))]
[JsonSerializable(typeof(VerifyBody))]
[JsonSerializable(typeof(Challenge))]
[JsonSerializable(typeof(ChallengeStatus))]
[JsonSerializable(typeof(Verification))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class OtpJsonContext : JsonSerializerContext;

/// <summary>The body of <c>POST /api/otp/{id}/verify</c>.</summary>
internal sealed record VerifyBody(string Code);

/// <summary>Every error body: <c>{"error", "message"}</c> plus the extra fields some carry.</summary>
internal sealed record ErrorBody(string? Error, string? Message, int? AttemptsLeft, int? RetryAfter);
