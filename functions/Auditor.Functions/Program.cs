using Auditor.Functions.Hosting;

// The entry point stays tiny: everything it does lives in FunctionHost, which the tests drive directly.
return await FunctionHost.RunAsync(new ProcessEnvironment(), Console.OpenStandardOutput(), CancellationToken.None);
