using Nuage.Core.Errors;

namespace Nuage.Router.Flow;

internal static class BasicAuthConfigChecks
{
    public const int MaxUsers = 100;

    public static void Validate(this BasicAuthConfig config, List<FieldError> errors)
    {
        if (config.Realm.Length is 0 or > 100 || config.Realm.Any(c => c is '"' or '\\' || char.IsControl(c)))
        {
            errors.Add(new FieldError("basicAuth.realm", config.Realm, "1 to 100 characters, without quotes, backslashes or control characters"));
        }

        if (config.Users.Count is 0 or > MaxUsers)
        {
            errors.Add(new FieldError("basicAuth.users", config.Users.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), $"protect with 1 to {MaxUsers} users"));
        }

        for (var i = 0; i < config.Users.Count; i++)
        {
            var user = config.Users[i];
            if (!IsUserName(user.User))
            {
                errors.Add(new FieldError($"basicAuth.users[{i}].user", user.User, "1 to 64 visible characters, without ':' (basic auth separates user and password with it)"));
            }

            if (!BasicAuthHashes.IsWellFormed(user.Hash))
            {
                errors.Add(new FieldError($"basicAuth.users[{i}].hash", null, $"not a {BasicAuthHashes.Scheme} hash; passwords are hashed by the server, never stored as given"));
            }
        }

        for (var i = 0; i < config.ExcludedPaths.Count; i++)
        {
            var path = config.ExcludedPaths[i];
            if (!path.StartsWith('/') || path.Length > 200 || path.Any(char.IsControl) || path.Contains("..", StringComparison.Ordinal))
            {
                errors.Add(new FieldError($"basicAuth.excludedPaths[{i}]", path, "a path prefix starting with /, at most 200 characters, without '..'"));
            }
        }
    }

    public static bool IsUserName(string? user) =>
        user is { Length: > 0 and <= 64 } && !user.Contains(':', StringComparison.Ordinal) && !user.Any(char.IsControl);
}
