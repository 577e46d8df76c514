using IdentityTwoFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpFunctions.AspNetCore.Identity;
using OtpFunctions.Client;

var builder = WebApplication.CreateBuilder(args);

// Users in SQLite; the settings are read when first needed, so a test host can point them elsewhere.
builder.Services.AddDbContext<SampleDb>(options => options.UseSqlite(builder.Configuration.GetConnectionString("Users")));

// The OTP service (scripts/run serves it on http://127.0.0.1:7071).
builder.Services.AddOtpClient(options =>
{
    options.BaseAddress = new Uri(builder.Configuration["OtpService:BaseAddress"]!);
    options.ApiKey = builder.Configuration["OtpService:ApiKey"] is { Length: > 0 } key ? key : null;
});

// Identity, with two-factor codes sent and checked by the OTP service.
builder.Services.AddIdentity<IdentityUser, IdentityRole>(options => options.Lockout.MaxFailedAccessAttempts = 5)
    .AddEntityFrameworkStores<SampleDb>()
    .AddOtpTwoFactor();
builder.Services.AddAuthorization();

// An API answers 401 rather than redirecting to a login page.
builder.Services.ConfigureApplicationCookie(options => options.Events.OnRedirectToLogin = context =>
{
    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
    return Task.CompletedTask;
});

var app = builder.Build();
using (var scope = app.Services.CreateScope())
{
    scope.ServiceProvider.GetRequiredService<SampleDb>().Database.EnsureCreated();
}

app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapAccount();
app.Run();
