using System.Globalization;

namespace Auditor.Functions.Runtime;

/// <summary>
/// Caps the GC heap from <c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>, as the managed .NET runtime's bootstrap does.
/// </summary>
/// <remarks>
/// Why at run time: a native-AOT binary has no runtimeconfig.json, and <c>DOTNET_GCHeapHardLimit</c> is read only
/// when the process starts, before any of our code runs; Lambda sets the memory size in the environment, not in the
/// build. Since .NET 8, <c>AppContext.SetData("GCHeapHardLimit", ulong)</c> followed by
/// <see cref="GC.RefreshMemoryLimit"/> reconfigures the running GC (documented on that method), and it works in
/// native AOT; <c>FunctionHost</c> logs the resulting limit so the effect is visible (the integration tests check it).
/// An explicit <c>DOTNET_GCHeapHardLimit</c>/<c>DOTNET_GCHeapHardLimitPercent</c> set by the owner wins: we leave it.
/// The share left outside the heap covers native memory: the runtime, sockets, gzip buffers and the AWS SDK.
/// </remarks>
public static class GcHeapLimit
{
    /// <summary>Share of the function's memory given to the GC heap.</summary>
    public const double HeapShare = 0.80;

    /// <summary>The limit to apply for a memory size in MB, or null when the value is missing or not a size.</summary>
    public static ulong? ForMemorySize(string? memorySizeMb)
    {
        if (!ulong.TryParse(memorySizeMb, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) || mb is 0 or > 1024 * 1024)
            return null;
        return (ulong)(mb * 1024 * 1024 * HeapShare);
    }

    /// <summary>Applies the cap; returns the limit set, or null when none was (no size, or the owner set one).</summary>
    public static ulong? Apply(string? memorySizeMb, bool ownerSetLimit)
    {
        if (ownerSetLimit || ForMemorySize(memorySizeMb) is not { } limit) return null;
        AppContext.SetData("GCHeapHardLimit", limit);
        GC.RefreshMemoryLimit();
        return limit;
    }
}
