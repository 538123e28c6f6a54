namespace TIBS.Cases.Core.Cases;

/// <summary>The partner pipeline's statuses in words, for every page that shows them.</summary>
public static class PipelineStatusNames
{
    public static string Name(string status) => status switch
    {
        PipelineStatus.Lead => "Lead company",
        PipelineStatus.Shortlisted => "Shortlisted",
        PipelineStatus.Contacted => "Contacted",
        PipelineStatus.Interested => "Interested",
        PipelineStatus.Declined => "Declined",
        PipelineStatus.Agreed => "Agreed",
        _ => status,
    };
}
