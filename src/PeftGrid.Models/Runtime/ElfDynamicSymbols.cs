using System.IO.MemoryMappedFiles;
using System.Text;

namespace PeftGrid.Models.Runtime;

/// <summary>
/// A reader of a little-endian ELF64 shared object's dynamic linking tables, read from the file through its program headers
/// (PT_LOAD, PT_DYNAMIC, PT_GNU_RELRO) and dynamic section (DT_JMPREL/DT_PLTRELSZ, DT_RELA/DT_RELASZ, DT_SYMTAB, DT_STRTAB,
/// DT_FLAGS/DT_FLAGS_1), as the System V gABI and the x86-64 psABI define them. Section headers are not needed (and may be stripped).
/// </summary>
public sealed class ElfDynamicSymbols
{
    /// <summary>x86-64 relocation type R_X86_64_GLOB_DAT (a GOT entry holding a symbol's address).</summary>
    public const uint GlobDat = 6;

    /// <summary>x86-64 relocation type R_X86_64_JUMP_SLOT (a PLT's GOT entry).</summary>
    public const uint JumpSlot = 7;

    private readonly List<(ulong Vaddr, ulong Offset, ulong FileSize)> loads = [];
    private readonly Dictionary<long, ulong> dynamic = [];

    private ElfDynamicSymbols(string path) => Path = path;

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>True when the object asks for immediate binding (DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW): its GOT is then read-only
    /// after loading when it lies in <see cref="Relro"/>.</summary>
    public bool BindNow { get; private set; }

    /// <summary>The PT_GNU_RELRO range (link-time virtual address, size in bytes), made read-only after relocation; (0, 0) when absent.</summary>
    public (ulong Vaddr, ulong Size) Relro { get; private set; }

    /// <summary>Reads the program headers and dynamic section of the ELF file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a little-endian ELF64 file, or one without a dynamic section.</exception>
    public static ElfDynamicSymbols Read(string path)
    {
        var elf = new ElfDynamicSymbols(path);
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        elf.ReadHeaders(view);
        return elf;
    }

    /// <summary>Every relocation (in DT_JMPREL and DT_RELA) whose symbol is named <paramref name="symbol"/>.</summary>
    /// <returns>Link-time address of the slot each relocation writes, its type (<see cref="JumpSlot"/>, <see cref="GlobDat"/>, …),
    /// and the symbol's st_value (its link-time address when defined here, 0 when imported).</returns>
    public IReadOnlyList<(ulong SlotVaddr, uint Type, ulong SymbolValue)> RelocationsOf(string symbol)
    {
        using var file = MemoryMappedFile.CreateFromFile(Path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var symtab = FileOffset(Tag(6));
        var strtab = FileOffset(Tag(5));
        var wanted = Encoding.ASCII.GetBytes(symbol + "\0");
        var found = new List<(ulong, uint, ulong)>();
        var nameMatches = new Dictionary<uint, ulong?>(); // symbol index → st_value when the name matches, null otherwise
        foreach (var (start, size) in new[] { (Tag(23), Tag(2)), (Tag(7), Tag(8)) })
        {
            if (start == 0) continue;
            var at = FileOffset(start);
            for (ulong i = 0; i < size / 24; i++)
            {
                var info = view.ReadUInt64((long)(at + i * 24 + 8));
                var type = (uint)info;
                var index = (uint)(info >> 32);
                if (index == 0 || (type != JumpSlot && type != GlobDat)) continue;
                if (!nameMatches.TryGetValue(index, out var value))
                {
                    var sym = (long)(symtab + (ulong)index * 24);
                    var name = (long)strtab + view.ReadUInt32(sym);
                    value = NameIs(view, name, wanted) ? view.ReadUInt64(sym + 8) : null;
                    nameMatches[index] = value;
                }
                if (value is { } v) found.Add((view.ReadUInt64((long)(at + i * 24)), type, v));
            }
        }
        return found;
    }

    private void ReadHeaders(MemoryMappedViewAccessor view)
    {
        if (view.Capacity < 64 || view.ReadUInt32(0) != 0x464C457F || view.ReadByte(4) != 2 || view.ReadByte(5) != 1)
        {
            throw new InvalidDataException($"{Path}: not a little-endian ELF64 file");
        }
        var phoff = view.ReadUInt64(0x20);
        var phentsize = view.ReadUInt16(0x36);
        var phnum = view.ReadUInt16(0x38);
        ulong dynOffset = 0, dynSize = 0;
        for (var i = 0; i < phnum; i++)
        {
            var ph = (long)phoff + i * phentsize;
            var type = view.ReadUInt32(ph);
            var (offset, vaddr, filesz) = (view.ReadUInt64(ph + 8), view.ReadUInt64(ph + 16), view.ReadUInt64(ph + 32));
            if (type == 1) loads.Add((vaddr, offset, filesz));
            else if (type == 2) (dynOffset, dynSize) = (offset, filesz);
            else if (type == 0x6474E552) Relro = (vaddr, view.ReadUInt64(ph + 40));
        }
        if (dynSize == 0) throw new InvalidDataException($"{Path}: no PT_DYNAMIC segment");
        for (ulong at = dynOffset; at + 16 <= dynOffset + dynSize; at += 16)
        {
            var tag = view.ReadInt64((long)at);
            if (tag == 0) break;
            dynamic.TryAdd(tag, view.ReadUInt64((long)at + 8));
        }
        BindNow = dynamic.ContainsKey(24) || (Tag(30) & 0x8) != 0 || (Tag(0x6FFFFFFB) & 0x1) != 0;
        if (Tag(6) == 0 || Tag(5) == 0) throw new InvalidDataException($"{Path}: the dynamic section has no DT_SYMTAB/DT_STRTAB");
    }

    private ulong Tag(long tag) => dynamic.GetValueOrDefault(tag);

    private ulong FileOffset(ulong vaddr)
    {
        foreach (var (start, offset, size) in loads)
        {
            if (vaddr >= start && vaddr < start + size) return vaddr - start + offset;
        }
        throw new InvalidDataException($"{Path}: address 0x{vaddr:x} is in no PT_LOAD segment's file image");
    }

    private static bool NameIs(MemoryMappedViewAccessor view, long at, byte[] wanted)
    {
        for (var i = 0; i < wanted.Length; i++)
        {
            if (view.ReadByte(at + i) != wanted[i]) return false;
        }
        return true;
    }
}
