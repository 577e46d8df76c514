namespace OtpFunctions.LocalHost;

/// <summary>
/// Runs the Functions app's own classes on Kestrel when Core Tools are not installed. Only the wiring
/// lives here: routes, queues and schedules come from the function attributes, services from AddOtp.
/// </summary>
public static class LocalFunctionsHost
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Framework categories the console shows only from Warning up (Kestrel's "Now listening on" stays).</summary>
    public static readonly IReadOnlyDictionary<string, string> QuietCategories = new Dictionary<string, string>
    {
        ["Microsoft.AspNetCore"] = "Warning",
        ["Microsoft.Hosting.Lifetime"] = "Information",
        ["Azure"] = "Warning",
    };

    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--settings path/to/local.settings.json</c>, any configuration key).</param>
    /// <param name="loadLocalSettings">False for tests, which configure everything themselves.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, bool loadLocalSettings = true)
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(args).Build();
        var settingsPath = commandLine["settings"];
        if (settingsPath is not null && !File.Exists(settingsPath))
        {
            throw new FileNotFoundException($"--settings names {Path.GetFullPath(settingsPath)}, which does not exist.", settingsPath);
        }

        var localValues = new Dictionary<string, string?>(loadLocalSettings ? LocalSettings.Read(settingsPath ?? FindLocalSettings()) : new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase);
        // A quiet console, as the ASP.NET Core templates' appsettings.json keeps it: no four framework lines per
        // request, no Azure SDK request logs (the worker filters those too); the app's own lines stay. Any
        // Logging:LogLevel:<category> in local.settings.json or the environment overrides these.
        foreach (var (category, level) in QuietCategories)
        {
            localValues.TryAdd($"Logging:LogLevel:{category}", level);
        }

        var environment = Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT")
            ?? (localValues.TryGetValue("AZURE_FUNCTIONS_ENVIRONMENT", out var fromSettings) ? fromSettings : null);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = environment,
        });

        // local.settings.json sits below every other source, as Core Tools only sets variables that are unset.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = localValues });

        DefaultWebhookQueueWhileNoneConfigured(builder.Configuration);
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOtp(builder.Configuration);
        builder.Services.AddCors();

        var catalog = FunctionCatalog.Discover(typeof(OtpServiceCollectionExtensions).Assembly);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(HostSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));
        builder.Services.AddHostedService<QueueTriggerListener>();
        builder.Services.AddHostedService<TimerTriggerScheduler>();
        return builder;
    }

    /// <summary>
    /// A local.settings.json from before webhooks must still start, so the webhook queue has a default while no endpoint
    /// is configured; with endpoints, start-up asks for OTP_WEBHOOK_QUEUE, as it must under func start and in Azure,
    /// where the trigger has no default.
    /// </summary>
    private static void DefaultWebhookQueueWhileNoneConfigured(ConfigurationManager configuration)
    {
        if (string.IsNullOrEmpty(configuration[Configuration.SettingNames.WebhookQueue]) && !configuration.GetSection(Configuration.SettingNames.Webhooks).GetChildren().Any())
        {
            configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = [new(Configuration.SettingNames.WebhookQueue, Webhooks.WebhookOptions.DefaultQueue)] });
        }
    }

    /// <summary>Builds the app and maps every <c>[HttpTrigger]</c> at <c>/{routePrefix}/{route}</c>.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();

        // Browser apps on other origins: the same list Core Tools reads (Host:CORS); Azure's is set in Bicep.
        var origins = (app.Configuration["Host:CORS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (origins.Length > 0)
        {
            app.UseCors(cors => (origins.Contains("*") ? cors.AllowAnyOrigin() : cors.WithOrigins(origins))
                .AllowAnyHeader()
                .WithMethods("GET", "POST", "DELETE")
                .WithExposedHeaders("Retry-After"));
        }

        // The Functions host answers an unknown method on a known route with 404, as for any unknown route.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.Headers.Remove("Allow");
            }
        });

        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var keys = new FunctionKeys(app.Configuration[FunctionKeys.Setting]);
        keys.EnsureSafe(ListenUrls(app.Configuration), catalog.Http.Where(h => FunctionKeys.NeedsKey(h.Trigger)).Select(h => h.Function.Name));
        var prefix = app.Services.GetRequiredService<HostSettings>().RoutePrefix.Trim('/');
        foreach (var (function, trigger) in catalog.Http)
        {
            var route = "/" + string.Join('/', new[] { prefix, trigger.Route ?? function.Name }.Where(part => part.Length > 0));
            var methods = trigger.Methods is { Length: > 0 } ? trigger.Methods.Select(m => m.ToUpperInvariant()) : ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
            var needsKey = FunctionKeys.NeedsKey(trigger);
            app.MapMethods(route, methods, async (HttpContext context) =>
            {
                if (needsKey && !keys.Allows(context.Request))
                {
                    // As the Functions host answers a missing or wrong key: 401, no body.
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await FunctionInvoker.InvokeHttpAsync(function, context);
            }).WithName(function.Name);
        }

        return app;
    }

    /// <summary>
    /// Every address Kestrel may listen on by configuration: <c>urls</c> (or the default), each
    /// <c>Kestrel:Endpoints:&lt;name&gt;:Url</c>, and <c>http_ports</c>/<c>https_ports</c>, which listen on every interface.
    /// </summary>
    public static IReadOnlyList<string> ListenUrls(IConfiguration configuration)
    {
        static string[] Split(string? value) => (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>().ToList();
        var ports = Split(configuration["http_ports"]).Select(port => "http://*:" + port)
            .Concat(Split(configuration["https_ports"]).Select(port => "https://*:" + port));
        return [.. Split(configuration["urls"] ?? (endpoints.Count == 0 ? DefaultUrl : null)), .. endpoints, .. ports];
    }

    private static string FindLocalSettings()
    {
        foreach (var candidate in new[] { "local.settings.json", Path.Combine("OtpFunctions", "local.settings.json"), Path.Combine("..", "OtpFunctions", "local.settings.json") })
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "local.settings.json");
    }
}
