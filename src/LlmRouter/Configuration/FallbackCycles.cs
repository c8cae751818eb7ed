namespace LlmRouter;

/// <summary>Finds cycles among the models' fallback lists and reports each at the entry that closes it.</summary>
internal static class FallbackCycles
{
    private enum Mark
    {
        Unvisited,
        OnPath,
        Done,
    }

    public static void Report(LlmRouterOptions options, ConfigurationErrors errors)
    {
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (string alias in options.Models.Keys)
        {
            Visit(options, alias, marks, path, errors);
        }
    }

    private static void Visit(LlmRouterOptions options, string alias, Dictionary<string, Mark> marks, List<string> path, ConfigurationErrors errors)
    {
        if (marks.GetValueOrDefault(alias) != Mark.Unvisited || !options.Models.TryGetValue(alias, out ModelOptions? model) || model is null)
        {
            return;
        }

        marks[alias] = Mark.OnPath;
        path.Add(alias);
        VisitList(options, alias, "Fallbacks", model.Fallbacks, marks, path, errors);
        VisitList(options, alias, "ContextWindowFallbacks", model.ContextWindowFallbacks, marks, path, errors);
        VisitList(options, alias, "ContentPolicyFallbacks", model.ContentPolicyFallbacks, marks, path, errors);
        path.RemoveAt(path.Count - 1);
        marks[alias] = Mark.Done;
    }

    private static void VisitList(LlmRouterOptions options, string alias, string listName, List<string> targets, Dictionary<string, Mark> marks, List<string> path, ConfigurationErrors errors)
    {
        for (int i = 0; i < targets.Count; i++)
        {
            string target = targets[i];
            if (string.IsNullOrEmpty(target) || string.Equals(target, alias, StringComparison.Ordinal) || !options.Models.ContainsKey(target))
            {
                continue; // reported by the list's own validation
            }

            if (marks.GetValueOrDefault(target) == Mark.OnPath)
            {
                int start = path.IndexOf(target);
                string cycle = string.Join(" -> ", path.Skip(start).Append(target));
                errors.Add(errors.Path($"Models:{alias}:{listName}[{i}]"), $"fallback cycle {cycle}");
                continue;
            }

            Visit(options, target, marks, path, errors);
        }
    }
}
