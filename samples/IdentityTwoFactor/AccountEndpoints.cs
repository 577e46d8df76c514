using Microsoft.AspNetCore.Identity;
using OtpFunctions.AspNetCore.Identity;
using OtpFunctions.Client;

namespace IdentityTwoFactor;

/// <summary>Register, sign in with a password, then with the code the OTP service sent; a page in wwwroot drives them.</summary>
public static class AccountEndpoints
{
    public static void MapAccount(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/register", RegisterAsync);
        account.MapPost("/login", LoginAsync);
        account.MapPost("/login/code", LoginWithCodeAsync);
        account.MapPost("/login/resend", ResendAsync);
        account.MapPost("/logout", async (SignInManager<IdentityUser> signIn) => { await signIn.SignOutAsync(); return Results.NoContent(); });
        account.MapGet("/me", (HttpContext context) => Results.Ok(new { email = context.User.Identity!.Name })).RequireAuthorization();
    }

    // A real app confirms the phone number first (for example with this same service); the sample takes it as confirmed.
    private static async Task<IResult> RegisterAsync(Registration registration, UserManager<IdentityUser> users)
    {
        var user = new IdentityUser
        {
            UserName = registration.Email,
            Email = registration.Email,
            PhoneNumber = registration.Phone,
            PhoneNumberConfirmed = !string.IsNullOrEmpty(registration.Phone),
            EmailConfirmed = true,
            TwoFactorEnabled = true,
        };
        var created = await users.CreateAsync(user, registration.Password);
        return created.Succeeded ? Results.Ok(new { registered = true }) : Results.BadRequest(new { errors = created.Errors.Select(error => error.Description) });
    }

    private static async Task<IResult> LoginAsync(Credentials credentials, SignInManager<IdentityUser> signIn)
    {
        var result = await signIn.PasswordSignInAsync(credentials.Email, credentials.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.Ok(new { signedIn = true });
        }

        if (!result.RequiresTwoFactor)
        {
            return result.IsLockedOut ? Results.StatusCode(StatusCodes.Status423Locked) : Results.Unauthorized();
        }

        // The two-factor cookie set above reaches the browser with this answer; in this request the user is found by name.
        var user = await signIn.UserManager.FindByEmailAsync(credentials.Email);
        return await SendCodeAsync(signIn.UserManager, user!);
    }

    private static async Task<IResult> ResendAsync(SignInManager<IdentityUser> signIn) =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is { } user ? await SendCodeAsync(signIn.UserManager, user) : Results.Unauthorized();

    private static async Task<IResult> LoginWithCodeAsync(CodeEntry entry, SignInManager<IdentityUser> signIn)
    {
        try
        {
            var result = await signIn.TwoFactorSignInAsync(OtpTwoFactor.ProviderName, entry.Code, isPersistent: false, rememberClient: false);
            return result.Succeeded ? Results.Ok(new { signedIn = true })
                : result.IsLockedOut ? Results.StatusCode(StatusCodes.Status423Locked)
                : Results.Json(new { error = "invalid_code" }, statusCode: StatusCodes.Status401Unauthorized);
        }
        catch (OtpException refused)
        {
            return Refused(refused.Error);
        }
    }

    private static async Task<IResult> SendCodeAsync(UserManager<IdentityUser> users, IdentityUser user)
    {
        try
        {
            var sentTo = await users.GenerateTwoFactorTokenAsync(user, OtpTwoFactor.ProviderName);
            return Results.Ok(new { twoFactor = true, sentTo });
        }
        catch (OtpException refused)
        {
            return Refused(refused.Error);
        }
    }

    // The service's refusal, passed on with its wait, so the page can show a countdown.
    private static IResult Refused(OtpError error)
    {
        var seconds = error.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : (int?)null;
        return Results.Json(new { error = error.Code, message = error.Message, retryAfter = seconds }, statusCode: (int)error.Status, contentType: null);
    }

    public sealed record Registration(string Email, string Password, string? Phone);

    public sealed record Credentials(string Email, string Password);

    public sealed record CodeEntry(string Code);
}
