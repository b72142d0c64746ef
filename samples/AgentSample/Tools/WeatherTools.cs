using System.ComponentModel;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace AgentSample.Tools;

[McpServerToolType]
public sealed class WeatherTools(IHttpClientFactory httpClientFactory, ILogger<WeatherTools> logger)
{
    private const string ForecastApi = "https://api.weather.example/v1/forecast";

    [McpServerTool(Name = "get_forecast", ReadOnly = true), Description("Gets tomorrow's forecast for a city.")]
    public async Task<string> GetForecast([Description("City name")] string city, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient();
        try
        {
            var forecast = await http.GetFromJsonAsync<Forecast>(
                $"{ForecastApi}?city={Uri.EscapeDataString(city)}", cancellationToken);
            return forecast is null ? $"No forecast for {city}." : $"{city}: {forecast.Summary}, {forecast.HighCelsius} °C";
        }
        catch (Exception)
        {
            // AGS003: the model is told "sorry" and nobody learns that the weather API is down.
            return "I'm sorry, I couldn't get the forecast right now.";
        }
    }

    [McpServerTool(Name = "get_alerts", ReadOnly = true), Description("Lists active weather alerts for a city.")]
    public async Task<string> GetAlerts(string city, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient();
        try
        {
            var alerts = await http.GetFromJsonAsync<string[]>($"{ForecastApi}/alerts?city={Uri.EscapeDataString(city)}", cancellationToken);
            return alerts is { Length: > 0 } ? string.Join("; ", alerts) : "No active alerts.";
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Compliant: the failure is logged before the tool degrades.
            logger.LogError(ex, "GetAlerts failed for {City}", city);
            return "Alerts are unavailable right now.";
        }
    }

    private sealed record Forecast(string Summary, double HighCelsius);
}
