using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.AspNetCore.Identity;

/// <summary>Turns on two-factor sign-in through the OTP service.</summary>
public static class OtpIdentityBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="OtpTwoFactorTokenProvider{TUser}"/> as <see cref="OtpTwoFactor.ProviderName"/>. Register the
    /// client too, with <c>services.AddOtpClient(...)</c>. The user store must keep authentication tokens
    /// (<see cref="IUserAuthenticationTokenStore{TUser}"/>, as the Entity Framework Core store does).
    /// </summary>
    /// <param name="builder">The app's Identity builder.</param>
    /// <param name="configure">Changes the channel, fallback, purpose or locale of the codes.</param>
    /// <returns>The builder, for more Identity settings.</returns>
    public static IdentityBuilder AddOtpTwoFactor(this IdentityBuilder builder, Action<OtpTwoFactorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<OtpTwoFactorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddTokenProvider(OtpTwoFactor.ProviderName, typeof(OtpTwoFactorTokenProvider<>).MakeGenericType(builder.UserType));
    }
}
