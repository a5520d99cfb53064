namespace Auditor.Core.Policy;

/// <summary>
/// A three-valued truth: a condition, principal match or statement whose outcome depends on a
/// condition key the auditor cannot know is <see cref="Unknown"/>, never silently true or false.
/// </summary>
public enum Tri : byte
{
    False = 0,
    Unknown = 1,
    True = 2,
}

/// <summary>Kleene's strong three-valued connectives.</summary>
public static class TriLogic
{
    public static Tri And(Tri a, Tri b) => a < b ? a : b;
    public static Tri Or(Tri a, Tri b) => a > b ? a : b;
    public static Tri Not(Tri a) => (Tri)(2 - (int)a);
    public static Tri Of(bool b) => b ? Tri.True : Tri.False;
}
