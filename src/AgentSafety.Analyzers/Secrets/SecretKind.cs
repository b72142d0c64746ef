namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// What a found secret is, as the message names it, and where the fix moves it: the provider's usual environment
/// variable and configuration key, or a neutral name when the secret has no provider.
/// </summary>
internal sealed class SecretKind
{
    private SecretKind(string description, string? environmentVariable, string? configurationKey, string defaultName)
    {
        Description = description;
        EnvironmentVariable = environmentVariable;
        ConfigurationKey = configurationKey;
        DefaultName = defaultName;
    }

    /// <summary>Starts the message, so it is capitalised: "OpenAI API key", "Password".</summary>
    public string Description { get; }

    /// <summary>The variable the provider's own tools read (OPENAI_API_KEY), or null when there is none.</summary>
    public string? EnvironmentVariable { get; }

    /// <summary>The usual <c>Section:Key</c>, or null when there is none.</summary>
    public string? ConfigurationKey { get; }

    /// <summary>A PascalCase name for the secret when neither the provider nor the code names it.</summary>
    public string DefaultName { get; }

    public static readonly SecretKind OpenAIApiKey = new("OpenAI API key", "OPENAI_API_KEY", "OpenAI:ApiKey", "OpenAIApiKey");
    public static readonly SecretKind OpenAIAdminKey = new("OpenAI admin key", "OPENAI_ADMIN_KEY", "OpenAI:AdminKey", "OpenAIAdminKey");
    public static readonly SecretKind AzureOpenAIApiKey = new("Azure OpenAI API key", "AZURE_OPENAI_API_KEY", "AzureOpenAI:ApiKey", "AzureOpenAIApiKey");
    public static readonly SecretKind AnthropicApiKey = new("Anthropic API key", "ANTHROPIC_API_KEY", "Anthropic:ApiKey", "AnthropicApiKey");
    public static readonly SecretKind AnthropicAdminKey = new("Anthropic admin key", "ANTHROPIC_ADMIN_KEY", "Anthropic:AdminKey", "AnthropicAdminKey");
    public static readonly SecretKind AnthropicOAuthToken = new("Anthropic OAuth token", "ANTHROPIC_AUTH_TOKEN", "Anthropic:AuthToken", "AnthropicAuthToken");
    public static readonly SecretKind AwsAccessKeyId = new("AWS access key id", "AWS_ACCESS_KEY_ID", "AWS:AccessKeyId", "AwsAccessKeyId");
    public static readonly SecretKind AwsSecretAccessKey = new("AWS secret access key", "AWS_SECRET_ACCESS_KEY", "AWS:SecretAccessKey", "AwsSecretAccessKey");
    public static readonly SecretKind GitHubToken = new("GitHub token", "GITHUB_TOKEN", "GitHub:Token", "GitHubToken");
    public static readonly SecretKind GitLabToken = new("GitLab token", "GITLAB_TOKEN", "GitLab:Token", "GitLabToken");
    public static readonly SecretKind SlackToken = new("Slack token", "SLACK_TOKEN", "Slack:Token", "SlackToken");
    public static readonly SecretKind SlackWebhookUrl = new("Slack webhook URL", "SLACK_WEBHOOK_URL", "Slack:WebhookUrl", "SlackWebhookUrl");
    public static readonly SecretKind StripeSecretKey = new("Stripe secret key", "STRIPE_SECRET_KEY", "Stripe:SecretKey", "StripeSecretKey");
    public static readonly SecretKind StripeRestrictedKey = new("Stripe restricted key", "STRIPE_SECRET_KEY", "Stripe:SecretKey", "StripeSecretKey");
    public static readonly SecretKind GoogleApiKey = new("Google API key", "GOOGLE_API_KEY", "Google:ApiKey", "GoogleApiKey");
    public static readonly SecretKind GoogleOAuthClientSecret = new("Google OAuth client secret", "GOOGLE_CLIENT_SECRET", "Google:ClientSecret", "GoogleClientSecret");
    public static readonly SecretKind HuggingFaceToken = new("Hugging Face token", "HF_TOKEN", "HuggingFace:Token", "HuggingFaceToken");
    public static readonly SecretKind AzureAdClientSecret = new("Azure AD client secret", "AZURE_CLIENT_SECRET", "AzureAd:ClientSecret", "ClientSecret");
    public static readonly SecretKind AzureStorageAccountKey = new("Azure storage account key", "AZURE_STORAGE_CONNECTION_STRING", "ConnectionStrings:Storage", "StorageConnectionString");
    public static readonly SecretKind AzureSharedAccessKey = new("Azure shared access key", null, null, "ConnectionString");
    public static readonly SecretKind AzureSharedAccessSignature = new("Azure shared access signature", null, null, "SasToken");
    public static readonly SecretKind SendGridApiKey = new("SendGrid API key", "SENDGRID_API_KEY", "SendGrid:ApiKey", "SendGridApiKey");
    public static readonly SecretKind TwilioApiKey = new("Twilio API key", "TWILIO_API_KEY", "Twilio:ApiKey", "TwilioApiKey");
    public static readonly SecretKind NpmToken = new("npm token", "NPM_TOKEN", "Npm:Token", "NpmToken");
    public static readonly SecretKind NuGetApiKey = new("NuGet API key", "NUGET_API_KEY", "NuGet:ApiKey", "NuGetApiKey");
    public static readonly SecretKind GroqApiKey = new("Groq API key", "GROQ_API_KEY", "Groq:ApiKey", "GroqApiKey");
    public static readonly SecretKind DatabricksToken = new("Databricks token", "DATABRICKS_TOKEN", "Databricks:Token", "DatabricksToken");
    public static readonly SecretKind DigitalOceanToken = new("DigitalOcean token", "DIGITALOCEAN_TOKEN", "DigitalOcean:Token", "DigitalOceanToken");
    public static readonly SecretKind JsonWebToken = new("JSON Web Token", null, null, "ApiToken");
    public static readonly SecretKind PrivateKey = new("Private key", null, null, "PrivateKey");
    public static readonly SecretKind ConnectionStringPassword = new("Connection string password", null, null, "ConnectionString");
    public static readonly SecretKind UrlPassword = new("Password in URL", null, null, "ServiceUrl");

    // Kinds known from where the value goes (a credential parameter) or what it is called, not from its shape.
    public static readonly SecretKind Password = new("Password", null, null, "Password");
    public static readonly SecretKind ApiKey = new("API key", null, null, "ApiKey");
    public static readonly SecretKind AccessKey = new("Access key", null, null, "AccessKey");
    public static readonly SecretKind Token = new("Token", null, null, "ApiToken");
    public static readonly SecretKind BearerToken = new("Bearer token", null, null, "ApiToken");
    public static readonly SecretKind BasicCredentials = new("Basic authentication credentials", null, null, "BasicCredentials");
    public static readonly SecretKind ClientSecret = new("Client secret", null, null, "ClientSecret");
    public static readonly SecretKind Credential = new("Credential", null, null, "Credential");
    public static readonly SecretKind Secret = new("Secret", null, null, "Secret");
}
