using System.Net;

namespace OtpFunctions.Client;

/// <summary>
/// A refusal by the service: the error body <c>{"error", "message", "attemptsLeft"?, "retryAfter"?}</c> with the
/// answer's status and <c>Retry-After</c> header.
/// </summary>
/// <param name="Code">The <c>error</c> field (see <see cref="OtpErrorCode"/>), or <c>http_&lt;status&gt;</c> when something other than the service answered without one.</param>
/// <param name="Message">The <c>message</c> field, written for people.</param>
/// <param name="Status">The HTTP status of the answer.</param>
/// <param name="AttemptsLeft">With <see cref="OtpErrorCode.InvalidCode"/>: wrong codes still allowed before the challenge locks.</param>
/// <param name="RetryAfter">With 429 and 503: how long to wait before trying again (the <c>Retry-After</c> header, else the <c>retryAfter</c> field).</param>
public sealed record OtpError(string Code, string Message, HttpStatusCode Status, int? AttemptsLeft = null, TimeSpan? RetryAfter = null);
