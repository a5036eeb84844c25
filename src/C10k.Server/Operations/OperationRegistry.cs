using System.Text;

namespace C10k.Server.Operations;

/// <summary>
/// Operations by opcode and by name. Filled at start-up, read-only afterwards (lookups are then safe from any thread).
/// </summary>
public sealed class OperationRegistry
{
    private readonly Dictionary<ushort, Operation> _byOpcode = [];
    private readonly List<Operation> _all = [];

    /// <summary>Every registered operation, in registration order.</summary>
    public IReadOnlyList<Operation> All => _all;

    /// <summary>Adds <paramref name="operation"/>; its opcode and name must be new.</summary>
    public OperationRegistry Register(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_byOpcode.ContainsKey(operation.Opcode))
        {
            throw new InvalidOperationException($"Opcode 0x{operation.Opcode:X4} is already registered.");
        }

        if (_all.Exists(o => o.Name == operation.Name))
        {
            throw new InvalidOperationException($"Operation name {operation.Name} is already registered.");
        }

        _byOpcode.Add(operation.Opcode, operation);
        _all.Add(operation);
        return this;
    }

    /// <summary>Finds an operation by native opcode.</summary>
    public bool TryGet(ushort opcode, out Operation operation) => _byOpcode.TryGetValue(opcode, out operation!);

    /// <summary>Finds an operation by name bytes off the wire, case-insensitively, without making a string.</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out Operation operation)
    {
        foreach (var candidate in _all)
        {
            if (candidate.NameBytes.Length == name.Length && Ascii.EqualsIgnoreCase(candidate.NameBytes.Span, name))
            {
                operation = candidate;
                return true;
            }
        }

        operation = null!;
        return false;
    }
}
