using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OtpFunctions.Tests.Support;

namespace OtpFunctions.Tests.Security;

/// <summary>
/// Rotating a key means restarting with a new current key and the old one under Previous…: codes,
/// queued messages and sessions made before the restart keep working.
/// </summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task KeepsCodesMessagesAndSessionsGivenRotatedKeys()
    {
        var table = "otprot" + Guid.NewGuid().ToString("N")[..10];
        var queue = "otp-rot-" + Guid.NewGuid().ToString("N")[..10];
        var oldKeys = NewKeys();
        var newKeys = NewKeys();
        string id;
        string token;
        string secondId;
        await using (var before = await OtpHost.StartAsync(Settings(table, queue, oldKeys, previous: null), listenToQueue: false))
        {
            var first = await before.SendAsync("+14155550199");
            id = await before.SendAsync("+14155550198");
            secondId = first;
            token = await VerifyThroughQueueAsync(before, first);
            before.KeepStorage = true;
        }

        await using var after = await OtpHost.StartAsync(Settings(table, queue, newKeys, previous: oldKeys));

        // The code queued under the old encryption key is still delivered and its old-pepper hash still checks.
        var code = await after.Delivery.WaitForCodeAsync(id);
        var newToken = (await after.ApproveAsync(id, code)).Session.Token;

        // The session signed by the old key is still valid, and new ones are signed by the new key.
        using var session = await after.SessionAsync(token);
        await Contract.AssertStatusAsync(session, HttpStatusCode.OK);
        Assert.NotEqual(new JsonWebToken(token).Kid, new JsonWebToken(newToken).Kid);
        Assert.Equal("approved", (await after.StatusAsync(secondId)).Status);
    }

    [Fact]
    public async Task AnswersExpiredWithoutCountingGivenCodeOfAPepperNoLongerConfigured()
    {
        var table = "otprot" + Guid.NewGuid().ToString("N")[..10];
        var queue = "otp-rot-" + Guid.NewGuid().ToString("N")[..10];
        string id;
        await using (var before = await OtpHost.StartAsync(Settings(table, queue, NewKeys(), previous: null), listenToQueue: false))
        {
            id = await before.SendAsync(Destinations.Phone());
            before.KeepStorage = true;
        }

        await using var after = await OtpHost.StartAsync(Settings(table, queue, NewKeys(), previous: null), listenToQueue: false);

        using var verify = await after.VerifyAsync(id, "123456");
        using var resend = await after.ResendAsync(id);
        await Contract.AssertErrorAsync(verify, HttpStatusCode.Gone, "expired");
        await Contract.AssertErrorAsync(resend, HttpStatusCode.Gone, "expired");
        Assert.Equal(5, (await after.StatusAsync(id)).AttemptsLeft);
    }

    [Fact]
    public async Task PublishesEs256KeysAndSignsWithTheCurrentOne()
    {
        using var current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var previous = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var host = await OtpHost.StartAsync(new Dictionary<string, string?>
        {
            ["Otp:Secrets:SigningKey"] = current.ExportPkcs8PrivateKeyPem(),
            ["Otp:Secrets:PreviousSigningKeys:0"] = previous.ExportPkcs8PrivateKeyPem(),
        });

        var jwks = await host.Client.GetFromJsonAsync<JsonElement>(".well-known/jwks.json");
        var token = await host.SignInAsync();

        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, key => Assert.False(key.TryGetProperty("d", out _), "a private key part was published"));
        var jwt = new JsonWebToken(token);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(keys[0].GetProperty("kid").GetString(), jwt.Kid);

        // A backend validates offline with nothing but the published key set.
        var set = new JsonWebKeySet(jwks.GetRawText());
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "otp-functions",
            ValidAudience = "otp-functions",
            IssuerSigningKeys = set.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task AnswersNotFoundForJwksGivenSharedSecret()
    {
        await using var host = await OtpHost.StartAsync();

        using var response = await host.Client.GetAsync(".well-known/jwks.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> VerifyThroughQueueAsync(OtpHost host, string id)
    {
        var message = (await host.Storage.Queue.ReceiveMessagesAsync(1)).Value.Single();
        await host.Storage.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        var delivery = (OtpFunctions.Delivery.DeliveryService)host.Services.GetService(typeof(OtpFunctions.Delivery.DeliveryService))!;
        await delivery.DeliverAsync(message.Body.ToString(), CancellationToken.None);
        return (await host.ApproveAsync(id, await host.Delivery.WaitForCodeAsync(id))).Session.Token;
    }

    private static (string Pepper, string Encryption, string Signing) NewKeys() =>
        (Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    private static Dictionary<string, string?> Settings(string table, string queue, (string Pepper, string Encryption, string Signing) keys, (string Pepper, string Encryption, string Signing)? previous)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Otp:Storage:Table"] = table,
            ["OTP_DELIVERY_QUEUE"] = queue,
            ["Otp:Secrets:Pepper"] = keys.Pepper,
            ["Otp:Secrets:EncryptionKey"] = keys.Encryption,
            ["Otp:Secrets:SigningKey"] = keys.Signing,
        };
        if (previous is { } old)
        {
            settings["Otp:Secrets:PreviousPeppers:0"] = old.Pepper;
            settings["Otp:Secrets:PreviousEncryptionKeys:0"] = old.Encryption;
            settings["Otp:Secrets:PreviousSigningKeys:0"] = old.Signing;
        }

        return settings;
    }
}
