using System.Globalization;
using System.Runtime.InteropServices;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// Redirects calls a loaded shared object makes through its own PLT/GOT (x86-64 Linux): the GOT slots that the object's
/// JUMP_SLOT/GLOB_DAT relocations of a symbol fill (found with <see cref="ElfDynamicSymbols"/>) are overwritten, in this process
/// only, with the address of a fresh executable stub. Calls the object makes directly (not through its PLT) are not affected.
/// </summary>
public static class PltSlot
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    /// <summary>Points every GOT slot of <paramref name="symbol"/> in the loaded library <paramref name="libraryPath"/> at a stub
    /// <c>mov eax, value; ret</c> (an <c>int f(void)</c> returning <paramref name="value"/>).</summary>
    /// <returns>The number of slots rewritten (1 or more).</returns>
    /// <exception cref="InvalidOperationException">Not x86-64 Linux, the library is not loaded or has no slot or export for the
    /// symbol, or a memory call failed; the message says which step.</exception>
    public static int RedirectToConstant(string libraryPath, string symbol, int value)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new InvalidOperationException("PLT redirection is implemented for x86-64 Linux only");
        }
        var slots = ElfDynamicSymbols.Read(libraryPath).RelocationsOf(symbol);
        if (slots.Count == 0) throw new InvalidOperationException($"{Path.GetFileName(libraryPath)} has no PLT/GOT slot for {symbol}");
        if (slots[0].SymbolValue == 0) throw new InvalidOperationException($"{symbol} is not defined in {Path.GetFileName(libraryPath)}");
        if (!NativeLibrary.TryLoad(libraryPath, out var handle) || !NativeLibrary.TryGetExport(handle, symbol, out var address))
        {
            throw new InvalidOperationException($"{symbol} is not exported by the loaded {Path.GetFileName(libraryPath)}");
        }
        var loadBase = (ulong)address - slots[0].SymbolValue;
        if (loadBase % (ulong)Environment.SystemPageSize != 0)
        {
            throw new InvalidOperationException($"load base 0x{loadBase:x} of {Path.GetFileName(libraryPath)} is not page-aligned");
        }
        var stub = Stub(value);
        foreach (var (slot, _, _) in slots) Write((nint)(loadBase + slot), stub);
        return slots.Count;
    }

    /// <summary>The protection (PROT_* bits) of the mapping holding <paramref name="address"/>, from /proc/self/maps; null if unmapped.</summary>
    public static int? Protection(nint address)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var dash = line.IndexOf('-');
            var space = line.IndexOf(' ');
            var start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if ((ulong)address < start || (ulong)address >= end) continue;
            var perms = line.AsSpan(space + 1, 3);
            return (perms[0] == 'r' ? ProtRead : 0) | (perms[1] == 'w' ? ProtWrite : 0) | (perms[2] == 'x' ? ProtExec : 0);
        }
        return null;
    }

    private static nint Stub(int value)
    {
        var page = (nuint)Environment.SystemPageSize;
        var memory = mmap(0, page, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (memory == -1) throw new InvalidOperationException($"mmap of the stub page failed (errno {Marshal.GetLastPInvokeError()})");
        byte[] code = [0xB8, .. BitConverter.GetBytes(value), 0xC3]; // mov eax, imm32; ret
        Marshal.Copy(code, 0, memory, code.Length);
        if (mprotect(memory, page, ProtRead | ProtExec) != 0)
        {
            throw new InvalidOperationException($"mprotect of the stub page to R-X failed (errno {Marshal.GetLastPInvokeError()})");
        }
        return memory; // kept for the process's lifetime: the slot points at it
    }

    private static void Write(nint slot, nint target)
    {
        var protection = Protection(slot) ?? throw new InvalidOperationException($"GOT slot 0x{slot:x} is not mapped");
        var page = slot & ~(nint)(Environment.SystemPageSize - 1);
        var size = (nuint)Environment.SystemPageSize;
        var writable = (protection & ProtWrite) != 0;
        if (!writable && mprotect(page, size, protection | ProtWrite) != 0)
        {
            throw new InvalidOperationException($"mprotect of GOT page 0x{page:x} to writable failed (errno {Marshal.GetLastPInvokeError()})");
        }
        Marshal.WriteIntPtr(slot, target); // an aligned 8-byte store: atomic for a concurrent caller
        if (!writable && mprotect(page, size, protection) != 0)
        {
            throw new InvalidOperationException($"mprotect of GOT page 0x{page:x} back to read-only failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int mprotect(nint address, nuint length, int protection);
}
