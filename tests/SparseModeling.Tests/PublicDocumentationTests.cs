// SPDX-License-Identifier: BSD-3-Clause
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SparseModeling.Tests;

/// <summary>
/// The XML documentation that ships in the package, read as a package user's IDE shows it: the docs of public members
/// must stand on their own — no reference to a type or member the user cannot see (an internal solver, a private
/// protected helper), no pointer to remarks a hover does not show or to repository files the package does not have.
/// </summary>
public partial class PublicDocumentationTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Assembly Library = typeof(Estimator).Assembly;

    [Fact]
    public void PublicDocs_ReferenceOnlyPublicTypesAndMembers()
    {
        var offenders = new List<string>();
        foreach (var (id, element) in PublicMembers())
        {
            foreach (var cref in element.Descendants().Attributes("cref").Select(a => a.Value).Distinct())
            {
                if (!IsPublic(cref))
                {
                    offenders.Add($"{id} → {cref}");
                }
            }
        }

        Assert.True(offenders.Count == 0, $"{offenders.Count} public docs point to members a package user cannot see:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void PublicDocs_DoNotSendTheReaderToRemarksOrRepositoryFiles()
    {
        var offenders = new List<string>();
        foreach (var (id, element) in PublicMembers())
        {
            foreach (var part in element.Elements().Where(e => e.Name != "remarks"))
            {
                string text = Regex.Replace(part.ToString(SaveOptions.DisableFormatting), "<[^>]+>", " ");
                if (RemarksPointer().IsMatch(text))
                {
                    offenders.Add($"{id} <{part.Name}>: {text.Trim()}");
                }
            }

            if (element.ToString().Contains("docs/ARCHITECTURE", StringComparison.Ordinal))
            {
                offenders.Add($"{id}: points to docs/ARCHITECTURE.md, which the package does not contain");
            }
        }

        Assert.True(offenders.Count == 0, $"{offenders.Count} public docs rely on text a hover does not show:\n" + string.Join("\n", offenders));
    }

    [GeneratedRegex(@"\bsee the remarks\b|\bremarks (on|of|below|above)\b|\(see remarks\)", RegexOptions.IgnoreCase)]
    private static partial Regex RemarksPointer();

    /// <summary>The documented members a package user sees: members of visible types that are public or protected.</summary>
    private static IEnumerable<(string Id, XElement Element)> PublicMembers()
    {
        string path = Path.ChangeExtension(Library.Location, ".xml");
        var document = XDocument.Load(path);
        foreach (var member in document.Root!.Element("members")!.Elements("member"))
        {
            string id = member.Attribute("name")!.Value;
            if (IsPublic(id))
            {
                yield return (id, member);
            }
        }
    }

    /// <summary>Whether a documentation id (T:, M:, P:, F:, E:) names a type or member visible outside the library; ids outside the library count as visible.</summary>
    private static bool IsPublic(string id)
    {
        if (id.Length < 2 || id[1] != ':')
        {
            return true;
        }

        char kind = id[0];
        string name = id[2..];
        if (kind == 'T')
        {
            return ResolveType(name) is not { } type || type.IsVisible;
        }

        string withoutParameters = name.Split('(')[0];
        int dot = withoutParameters.LastIndexOf('.');
        string typeName = withoutParameters[..dot];
        string memberName = withoutParameters[(dot + 1)..];
        if (ResolveType(typeName) is not { } owner)
        {
            return true;
        }

        if (!owner.IsVisible)
        {
            return false;
        }

        int arity = memberName.Contains("``", StringComparison.Ordinal) ? int.Parse(memberName[(memberName.IndexOf("``", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        memberName = memberName.Split("``")[0].Replace('#', '.');
        int parameters = ParameterCount(name);
        var candidates = owner.GetMembers(All).Where(m => m.Name == memberName || (memberName.Contains('.') && m.Name.EndsWith("." + memberName.Split('.')[^1], StringComparison.Ordinal)) || (memberName == "ctor" && m is ConstructorInfo)).ToList();
        if (kind == 'M')
        {
            candidates = candidates.Where(m => m is MethodBase method && method.GetParameters().Length == parameters && (method is not MethodInfo info || info.GetGenericArguments().Length == arity)).ToList();
        }

        return candidates.Count == 0 || candidates.Any(IsVisibleMember);
    }

    private static bool IsVisibleMember(MemberInfo member)
    {
        bool sealedOwner = member.DeclaringType is { IsSealed: true };
        return member switch
        {
            MethodBase m => m.IsPublic || (m.IsFamily && !sealedOwner) || (m.IsFamilyOrAssembly && !sealedOwner) || (m.IsPrivate && m.Name.Contains('.', StringComparison.Ordinal) && ImplementsPublicInterface(m)),
            PropertyInfo p => p.GetAccessors(true).Any(IsVisibleMember),
            FieldInfo f => f.IsPublic || (f.IsFamily && !sealedOwner) || (f.IsFamilyOrAssembly && !sealedOwner),
            EventInfo e => e.AddMethod is { } add && IsVisibleMember(add),
            Type t => t.IsVisible,
            _ => true,
        };
    }

    /// <summary>An explicit interface implementation is visible when its interface is.</summary>
    private static bool ImplementsPublicInterface(MethodBase method)
    {
        string name = method.Name;
        string interfaceName = name[..name.LastIndexOf('.')];
        return method.DeclaringType!.GetInterfaces().Any(i => i.IsVisible && (i.FullName ?? i.Name).Replace('+', '.').StartsWith(interfaceName.Split('<')[0], StringComparison.Ordinal));
    }

    private static int ParameterCount(string name)
    {
        int open = name.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return 0;
        }

        int depth = 0, count = 1;
        foreach (char c in name[(open + 1)..name.LastIndexOf(')')])
        {
            depth += c is '{' or '(' or '[' ? 1 : c is '}' or ')' or ']' ? -1 : 0;
            count += c == ',' && depth == 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>The library type of a documentation name, trying nested-type separators from the right; null when not in the library.</summary>
    private static Type? ResolveType(string name)
    {
        string candidate = name;
        while (true)
        {
            if (Library.GetType(candidate) is { } type)
            {
                return type;
            }

            int dot = candidate.LastIndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            candidate = candidate[..dot] + "+" + candidate[(dot + 1)..];
        }
    }
}
