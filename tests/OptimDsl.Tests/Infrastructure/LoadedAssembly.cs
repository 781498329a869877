using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace OptimDsl.Tests.Infrastructure;

/// <summary>
/// A compiled test assembly loaded into its own collectible <see cref="AssemblyLoadContext"/>, so
/// that many tests can compile and run generated code without filling the process. Dispose it to
/// unload. References (the OptimDsl runtime library, the BCL) resolve to the test process's own
/// copies, so types such as <see cref="OptimizationResult"/> are shared with the test.
/// </summary>
/// <remarks>
/// Reflection is for tests only; generated code itself never uses it. Methods with span
/// parameters cannot be invoked through reflection: add a small static wrapper taking arrays to
/// the test source and invoke that.
/// </remarks>
internal sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private LoadedAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    /// <summary>The loaded assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>Emits <paramref name="compilation"/> to memory and loads it; throws with the diagnostics if emitting fails.</summary>
    public static LoadedAssembly Emit(Compilation compilation)
    {
        using var peStream = new MemoryStream();
        var emitResult = compilation.Emit(peStream);
        if (!emitResult.Success)
        {
            var errors = emitResult.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException(
                $"The compilation '{compilation.AssemblyName}' does not emit:{Environment.NewLine}{GeneratorRun.Format(errors)}");
        }

        peStream.Position = 0;
        var context = new AssemblyLoadContext($"OptimDsl.Tests:{compilation.AssemblyName}", isCollectible: true);
        var assembly = context.LoadFromStream(peStream);
        return new LoadedAssembly(context, assembly);
    }

    /// <summary>The type named <paramref name="fullName"/> (nested types as <c>Outer+Inner</c>).</summary>
    public Type GetType(string fullName) =>
        Assembly.GetType(fullName, throwOnError: false)
        ?? throw new InvalidOperationException($"No type '{fullName}' in {Assembly.GetName().Name}.");

    /// <summary>
    /// Invokes the public or non-public static method <paramref name="methodName"/> of
    /// <paramref name="typeName"/> whose parameter count equals <paramref name="arguments"/>' length.
    /// Out and ref arguments are written back into <paramref name="arguments"/>.
    /// </summary>
    public object? Invoke(string typeName, string methodName, params object?[] arguments)
    {
        var type = GetType(typeName);
        var candidates = type
            .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.Name == methodName
                && m.GetParameters().Length == arguments.Length
                && !m.GetParameters().Any(p => IsByRefLike(p.ParameterType))
                && !IsGradientCore(m))
            .ToArray();
        return candidates.Length switch
        {
            1 => InvokeMethod(candidates[0], arguments),
            0 => throw new InvalidOperationException(
                $"No static method {typeName}.{methodName} with {arguments.Length} parameters (span overloads cannot be invoked by reflection)."),
            _ => throw new InvalidOperationException(
                $"{typeName}.{methodName} has {candidates.Length} overloads with {arguments.Length} parameters: use the overload of Invoke taking parameter types."),
        };
    }

    /// <summary>
    /// The generator's private cores, <c>MGradient(ref double parameters, ref double gradient)</c> and the
    /// per-sample <c>MGradient(ref double parameters, …, ref double gradient)</c>, which read and write
    /// through references to contiguous values: not callable with boxed arguments.
    /// </summary>
    public static bool IsGradientCore(MethodInfo method)
        => method.GetParameters() is [{ ParameterType.IsByRef: true, IsOut: false }, .., { ParameterType.IsByRef: true, IsOut: false }]
            && method.IsPrivate;

    /// <summary>
    /// Invokes the static method <paramref name="methodName"/> of <paramref name="typeName"/> with
    /// exactly <paramref name="parameterTypes"/> (for an out <see cref="double"/>, pass
    /// <c>typeof(double).MakeByRefType()</c>).
    /// </summary>
    public object? Invoke(string typeName, string methodName, Type[] parameterTypes, params object?[] arguments)
    {
        var type = GetType(typeName);
        var method = type.GetMethod(
                methodName,
                BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic,
                binder: null,
                parameterTypes,
                modifiers: null)
            ?? throw new InvalidOperationException(
                $"No static method {typeName}.{methodName}({string.Join(", ", parameterTypes.Select(t => t.Name))}).");
        return InvokeMethod(method, arguments);
    }

    /// <summary>Unloads the load context (the assembly is collected once no reference to it remains).</summary>
    public void Dispose() => _context.Unload();

    private static bool IsByRefLike(Type type) =>
        (type.IsByRef ? type.GetElementType()! : type).IsByRefLike;

    private static object? InvokeMethod(MethodInfo method, object?[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // Let tests assert on the generated code's own exception (ArgumentException, …).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
