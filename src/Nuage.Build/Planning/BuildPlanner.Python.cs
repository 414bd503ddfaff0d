namespace Nuage.Build.Planning;

public sealed partial class BuildPlanner
{
    /// <summary>The virtualenv folder created inside the app root of every python release.</summary>
    public const string VirtualEnvFolder = ".venv";

    private static readonly string[] PythonScripts = ["app.py", "main.py", "server.py"];

    private static void PlanPython(PlanDraft draft)
    {
        var settings = draft.Settings;
        var python = draft.FindTool("python3");
        draft.RequireTool("python3", "create the app's virtualenv");
        var venv = Path.Combine(draft.App.AppRoot, VirtualEnvFolder);
        var bin = Path.Combine(venv, "bin");
        draft.PathPrepend.Add(bin);
        draft.Environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
        draft.Environment["PIP_NO_INPUT"] = "1";
        draft.Environment["PYTHONUNBUFFERED"] = "1";

        draft.AddStep("create virtualenv", BuildStage.Dependencies, $"python3 -m venv {VirtualEnvFolder}", skipOnCacheHit: true);
        var pip = $"{VirtualEnvFolder}/bin/python -m pip install";
        var requirements = settings.PipRequirementsFile is { Length: > 0 } custom ? custom : "requirements.txt";
        string? keyFile = null;
        if (settings.PipRequirementsFile is { Length: > 0 } && !draft.HasFile(requirements))
        {
            draft.Error(nameof(BuildSettings.PipRequirementsFile), requirements, "file not found in the app folder");
        }
        else if (draft.HasFile(requirements))
        {
            keyFile = requirements;
            draft.AddStep("pip install", BuildStage.Dependencies, $"{pip} -r {ShellQuote.Quote(requirements)}", skipOnCacheHit: true);
        }
        else if (draft.HasFile("pyproject.toml"))
        {
            keyFile = "pyproject.toml";
            draft.AddStep("pip install", BuildStage.Dependencies, $"{pip} .", skipOnCacheHit: true);
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VIRTUAL_ENV"] = venv,
            ["PYTHONUNBUFFERED"] = "1",
        };
        if (draft.DefaultStartCommand() is { } command)
        {
            draft.StartCommand(command, environment, [bin]);
        }
        else if (settings.PythonModule is { Length: > 0 } module)
        {
            // module:object is a WSGI/ASGI entry point: served by the gunicorn or uvicorn the app installed.
            var entry = ShellQuote.Quote(module);
            var missing = ShellQuote.Quote($"{Nuage.Core.Variables.KnownVariables.PythonModule.Name} needs gunicorn (WSGI) or uvicorn (ASGI) in the app's requirements");
            draft.StartCommand(
                $"if command -v gunicorn >/dev/null; then exec gunicorn --bind 127.0.0.1:$PORT {entry}; " +
                $"elif command -v uvicorn >/dev/null; then exec uvicorn --host 127.0.0.1 --port $PORT {entry}; " +
                $"else echo {missing} >&2; exit 1; fi",
                environment,
                [bin]);
        }
        else if (PythonScripts.FirstOrDefault(draft.HasFile) is { } script)
        {
            draft.StartCommand($"python {script}", environment, [bin]);
        }

        if (keyFile is not null)
        {
            var fingerprint = $"{python}";
            draft.Cache = new CachePlan(CacheKey(draft.App.AppRoot, "python", fingerprint, [keyFile]), "python", [keyFile], [VirtualEnvFolder], new Dictionary<string, string>());
        }
    }
}
