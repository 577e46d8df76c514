using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OtpFunctions.Client;

namespace OtpFunctions.AspNetCore.Identity;

/// <summary>
/// A two-factor token provider whose codes the OTP service makes, sends and checks: <see cref="GenerateAsync"/> sends a
/// code to the user's confirmed phone (or email) and keeps the challenge id with the user's authentication tokens, on
/// the server, never in a cookie the user could swap; <see cref="ValidateAsync"/> checks what the user typed there.
/// </summary>
/// <typeparam name="TUser">The app's user type.</typeparam>
/// <param name="client">The OTP service's client (<c>services.AddOtpClient(...)</c>).</param>
/// <param name="options">The channel, purpose and locale of the codes.</param>
public sealed class OtpTwoFactorTokenProvider<TUser>(OtpClient client, IOptions<OtpTwoFactorOptions> options) : IUserTwoFactorTokenProvider<TUser>
    where TUser : class
{
    /// <summary>True when the user has a confirmed phone number, or (if allowed) a confirmed email address.</summary>
    /// <param name="manager">The user manager.</param>
    /// <param name="user">The user.</param>
    /// <returns>Whether a code can be sent.</returns>
    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<TUser> manager, TUser user) =>
        await DestinationAsync(manager, user).ConfigureAwait(false) is not null;

    /// <summary>Sends a code through the service and remembers its challenge for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">Identity's purpose (<c>TwoFactor</c> for sign-in).</param>
    /// <param name="manager">The user manager.</param>
    /// <param name="user">The user.</param>
    /// <returns>
    /// The masked destination the code went to (<c>+1415*****00</c>), to show the user. It is not the code: the service
    /// delivers that itself, so the app sends nothing.
    /// </returns>
    /// <exception cref="OtpException">The service refused the send; <see cref="OtpException.Error"/> says why and, for a limit, when to try again.</exception>
    /// <exception cref="InvalidOperationException">The user has no confirmed destination, or the challenge could not be stored.</exception>
    public async Task<string> GenerateAsync(string purpose, UserManager<TUser> manager, TUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var (channel, to) = await DestinationAsync(manager, user).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The user has no confirmed phone number or email address to send a code to.");
        var settings = options.Value;
        var request = new SendRequest(channel, to)
        {
            Purpose = settings.Purpose,
            Locale = settings.Locale,
            Fallback = channel == OtpChannel.Email ? null : settings.Fallback,
        };
        var challenge = (await client.SendAsync(request).ConfigureAwait(false)).Value;
        Succeeded(await manager.SetAuthenticationTokenAsync(user, OtpTwoFactor.ProviderName, purpose, challenge.Id).ConfigureAwait(false));
        return challenge.To;
    }

    /// <summary>Checks the code against the challenge <see cref="GenerateAsync"/> stored for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">Identity's purpose (<c>TwoFactor</c> for sign-in).</param>
    /// <param name="token">The code the user typed (spaces and dashes are ignored).</param>
    /// <param name="manager">The user manager.</param>
    /// <param name="user">The user.</param>
    /// <returns>True for the right code; false for a wrong one, or when no code is pending (expired, locked, used or never sent).</returns>
    /// <exception cref="OtpException">The service could not judge the code (unavailable, or refused this app as a caller): not the user's fault, so it does not count as a failed sign-in.</exception>
    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<TUser> manager, TUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var challengeId = await manager.GetAuthenticationTokenAsync(user, OtpTwoFactor.ProviderName, purpose).ConfigureAwait(false);
        if (string.IsNullOrEmpty(challengeId) || string.IsNullOrWhiteSpace(token))
        {
            return false;
        }

        var verified = await client.VerifyAsync(challengeId, token.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal)).ConfigureAwait(false);
        if (verified.IsSuccess || verified.Error.Code is not (OtpErrorCode.InvalidCode or OtpErrorCode.InvalidRequest))
        {
            await ForgetAsync(manager, user, purpose, verified.Error).ConfigureAwait(false);
        }

        return verified.IsSuccess;
    }

    /// <summary>Drops a challenge that is finished (approved, expired, locked, used or unknown), so it is never checked again.</summary>
    private static async Task ForgetAsync(UserManager<TUser> manager, TUser user, string purpose, OtpError? error)
    {
        if (error is not null && error.Code is not (OtpErrorCode.Expired or OtpErrorCode.Locked or OtpErrorCode.NotFound or OtpErrorCode.AlreadyVerified))
        {
            throw new OtpException(error);
        }

        Succeeded(await manager.RemoveAuthenticationTokenAsync(user, OtpTwoFactor.ProviderName, purpose).ConfigureAwait(false));
    }

    private async Task<(string Channel, string To)?> DestinationAsync(UserManager<TUser> manager, TUser user)
    {
        if (manager.SupportsUserPhoneNumber
            && await manager.GetPhoneNumberAsync(user).ConfigureAwait(false) is { Length: > 0 } phone
            && await manager.IsPhoneNumberConfirmedAsync(user).ConfigureAwait(false))
        {
            return (options.Value.PhoneChannel, phone);
        }

        if (options.Value.AllowEmail
            && manager.SupportsUserEmail
            && await manager.GetEmailAsync(user).ConfigureAwait(false) is { Length: > 0 } email
            && await manager.IsEmailConfirmedAsync(user).ConfigureAwait(false))
        {
            return (OtpChannel.Email, email);
        }

        return null;
    }

    private static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The user's authentication token could not be stored: " + string.Join("; ", result.Errors.Select(error => error.Description)));
        }
    }
}
