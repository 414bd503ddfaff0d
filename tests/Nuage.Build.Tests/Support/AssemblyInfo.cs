// These tests exercise Linux processes, modes and links; Nuage runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
