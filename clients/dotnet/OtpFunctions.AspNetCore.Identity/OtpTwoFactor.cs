namespace OtpFunctions.AspNetCore.Identity;

/// <summary>The provider's name, for <c>SignInManager.TwoFactorSignInAsync</c> and <c>UserManager.GenerateTwoFactorTokenAsync</c>.</summary>
public static class OtpTwoFactor
{
    /// <summary>The name the provider is registered under; also the login provider its challenge ids are stored under.</summary>
    public const string ProviderName = "OtpFunctions";
}
