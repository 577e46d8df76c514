using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;

namespace OtpFunctions.Tests.Support;

/// <summary>
/// Supabase Auth as a caller of the hooks: the payloads exactly as Supabase's documentation shows them
/// (guides/auth/auth-hooks/send-sms-hook and send-email-hook), and requests signed with the official StandardWebhooks
/// package under a secret in the form Supabase's dashboard shows, <c>v1,whsec_&lt;base64&gt;</c>.
/// </summary>
public static class SupabaseHook
{
    /// <summary>The Send SMS hook's documented input. Its number, +1333363128, is one digit short of a North American number.</summary>
    public const string DocumentedSmsPayload = """
        {
          "user": {
            "id": "6481a5c1-3d37-4a56-9f6a-bee08c554965",
            "aud": "authenticated",
            "role": "authenticated",
            "email": "",
            "phone": "+1333363128",
            "phone_confirmed_at": "2024-05-13T11:52:48.157306Z",
            "confirmation_sent_at": "2024-05-14T12:31:52.824573Z",
            "confirmed_at": "2024-05-13T11:52:48.157306Z",
            "phone_change_sent_at": "2024-05-13T11:47:02.183064Z",
            "last_sign_in_at": "2024-05-13T11:52:48.162518Z",
            "app_metadata": {
              "provider": "phone",
              "providers": ["phone"]
            },
            "user_metadata": {},
            "identities": [
              {
                "identity_id": "3be5e552-65aa-41d9-9db9-2a502f845459",
                "id": "6481a5c1-3d37-4a56-9f6a-bee08c554965",
                "user_id": "6481a5c1-3d37-4a56-9f6a-bee08c554965",
                "identity_data": {
                  "email_verified": false,
                  "phone": "+1612341244428",
                  "phone_verified": true,
                  "sub": "6481a5c1-3d37-4a56-9f6a-bee08c554965"
                },
                "provider": "phone",
                "last_sign_in_at": "2024-05-13T11:52:48.155562Z",
                "created_at": "2024-05-13T11:52:48.155599Z",
                "updated_at": "2024-05-13T11:52:48.159391Z"
              }
            ],
            "created_at": "2024-05-13T11:45:33.7738Z",
            "updated_at": "2024-05-14T12:31:52.82475Z",
            "is_anonymous": false
          },
          "sms": {
            "otp": "561166"
          }
        }
        """;

    /// <summary>The Send Email hook's documented input (a signup).</summary>
    public const string DocumentedEmailPayload = """
        {
          "user": {
            "id": "8484b834-f29e-4af2-bf42-80644d154f76",
            "aud": "authenticated",
            "role": "authenticated",
            "email": "valid.email@supabase.io",
            "phone": "",
            "app_metadata": {
              "provider": "email",
              "providers": ["email"]
            },
            "user_metadata": {
              "email": "valid.email@supabase.io",
              "email_verified": false,
              "phone_verified": false,
              "sub": "8484b834-f29e-4af2-bf42-80644d154f76"
            },
            "identities": [
              {
                "identity_id": "bc26d70b-517d-4826-bce4-413a5ff257e7",
                "id": "8484b834-f29e-4af2-bf42-80644d154f76",
                "user_id": "8484b834-f29e-4af2-bf42-80644d154f76",
                "identity_data": {
                  "email": "valid.email@supabase.io",
                  "email_verified": false,
                  "phone_verified": false,
                  "sub": "8484b834-f29e-4af2-bf42-80644d154f76"
                },
                "provider": "email",
                "last_sign_in_at": "2024-05-14T12:56:33.824231484Z",
                "created_at": "2024-05-14T12:56:33.824261Z",
                "updated_at": "2024-05-14T12:56:33.824261Z",
                "email": "valid.email@supabase.io"
              }
            ],
            "created_at": "2024-05-14T12:56:33.821567Z",
            "updated_at": "2024-05-14T12:56:33.825595Z",
            "is_anonymous": false
          },
          "email_data": {
            "token": "305805",
            "token_hash": "7d5b7b1964cf5d388340a7f04f1dbb5eeb6c7b52ef8270e1737a58d0",
            "redirect_to": "http://localhost:3000/",
            "email_action_type": "signup",
            "site_url": "http://localhost:9999",
            "token_new": "",
            "token_hash_new": "",
            "old_email": "old.email@supabase.io",
            "old_phone": "",
            "provider": "email",
            "factor_type": "totp"
          }
        }
        """;

    /// <summary>A secret as Supabase's dashboard generates it: 32 random bytes.</summary>
    public static string NewSecret() => "v1,whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The documented SMS payload sent to <paramref name="phone"/> (as Supabase stores it: with or without the +) with <paramref name="otp"/>.</summary>
    public static string SmsPayload(string phone, string otp = "561166") =>
        Replace(Replace(DocumentedSmsPayload, "\"phone\": \"+1333363128\"", $"\"phone\": \"{phone}\""), "\"otp\": \"561166\"", $"\"otp\": \"{otp}\"");

    /// <summary>The documented email payload for <paramref name="email"/>, with another action type and token when given.</summary>
    public static string EmailPayload(string email, string action = "signup", string token = "305805") =>
        Replace(Replace(Replace(DocumentedEmailPayload, "valid.email@supabase.io", email), "\"email_action_type\": \"signup\"", $"\"email_action_type\": \"{action}\""), "\"token\": \"305805\"", $"\"token\": \"{token}\"");

    public static string Replace(string payload, string documented, string replacement)
    {
        if (!payload.Contains(documented, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the payload has no {documented}", nameof(documented));
        }

        return payload.Replace(documented, replacement, StringComparison.Ordinal);
    }

    /// <summary>
    /// A request as Supabase Auth makes it: JSON, <c>webhook-id</c>, <c>webhook-timestamp</c> and the signature of each
    /// secret, joined with ", " as Supabase Auth joins them.
    /// </summary>
    public static HttpRequestMessage Request(string route, string payload, DateTimeOffset? signedAt = null, params string[] secrets)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var at = signedAt ?? DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(payload, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", string.Join(", ", secrets.Select(secret => Sign(secret, id, at, payload))));
        return request;
    }

    /// <summary>Signs as Supabase's own examples verify: the base64 part of the secret, to the StandardWebhooks package.</summary>
    public static string Sign(string secret, string id, DateTimeOffset at, string payload) =>
        new StandardWebhook(secret.Replace("v1,whsec_", "", StringComparison.Ordinal)).Sign(id, at, payload);
}
