namespace Auditor.Functions.Runtime;

/// <summary>One function's work: an invocation in, the response document out. An exception becomes an invocation error.</summary>
public interface ILambdaHandler
{
    /// <summary>Handles one event. <paramref name="cancellationToken"/> fires shortly before the invocation's deadline.</summary>
    Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken);
}
