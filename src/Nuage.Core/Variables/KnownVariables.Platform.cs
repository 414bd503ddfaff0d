namespace Nuage.Core.Variables;

public static partial class KnownVariables
{
    public static readonly VariableDefinition<int> Port = Injected("PORT", new NumberType(1, 65535),
        "Port the app must listen on (on the loopback or all interfaces); the router forwards to it.");

    public static readonly VariableDefinition<int> InstanceNumber = Injected("INSTANCE_NUMBER", new NumberType(min: 0),
        "Position of this instance among the app's instances: 0, 1 … Stable across restarts, reused by the next release.");

    public static readonly VariableDefinition<string> InstanceId = Injected("INSTANCE_ID", TextType.Any,
        "Unique id of this instance; a new one for every start.");

    public static readonly VariableDefinition<string> InstanceType = Injected("INSTANCE_TYPE", Alternatives.Of("build", "production"),
        "build while the release is built, production while it runs.");

    public static readonly VariableDefinition<string> AppId = Injected("APP_ID", TextType.Any,
        "Id of the app.");

    public static readonly VariableDefinition<string> AppHome = Injected("APP_HOME", TextType.Any,
        "Absolute path of the release directory the instance runs from.");

    public static readonly VariableDefinition<string> DeploymentId = Injected("CC_DEPLOYMENT_ID", TextType.Any,
        "Id of the deployment that produced the running release.");

    public static readonly VariableDefinition<string> CommitId = Injected("CC_COMMIT_ID", TextType.Any,
        "Git commit of the running release, when deployed from git.");

    public static readonly VariableDefinition<string> AppName = Injected("CC_APP_NAME", TextType.Any,
        "Name of the app as given by its users.");

    public static readonly VariableDefinition<IReadOnlyList<string>> ReverseProxyIps = Injected("CC_REVERSE_PROXY_IPS", new ListType(','),
        "Comma-separated addresses of the router; trust forwarded headers only from these.");

    private static IEnumerable<VariableDefinition> Platform() =>
        [Port, InstanceNumber, InstanceId, InstanceType, AppId, AppHome, DeploymentId, CommitId, AppName, ReverseProxyIps];

    private static VariableDefinition<T> Injected<T>(string name, VariableType<T> type, string description)
        where T : notnull =>
        new(name, type, description) { ReadOnly = true };
}
