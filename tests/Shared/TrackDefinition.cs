namespace TIBS.Cases.Testing;

/// <summary>A small definition whose expressions-of-interest step runs one track per partner, for tests of tracks.</summary>
public static class TrackDefinition
{
    public const string Key = "partner-tracks";

    public static string Yaml(int version = 1) => $$"""
        key: {{Key}}
        name: Partner tracks
        version: {{version}}
        start: matching
        stages:
          - key: partner-search
            name: Partner search
            steps:
              - key: matching
                name: Matching
                role: broker
                outcomes:
                  - { key: ask-partners, label: Ask the partners, to: expressions }
              - key: expressions
                name: Expressions of interest
                role: broker
                outcomes:
                  - { key: partner-found, label: A partner agreed, to: agreement }
                  - { key: back-to-matching, label: Back to matching, to: matching }
                  - { key: company-withdrew, label: The company withdrew, to: withdrawn }
                tracks:
                  for-each: partner
                  role: partner-broker
                  due: P20D
                  reminders: [ P10D ]
                  start: contacted
                  states:
                    - key: contacted
                      name: Contacted
                      outcomes:
                        - { key: interested, label: Interested, to: interested }
                        - { key: declined, label: Declined, to: declined }
                      timers:
                        - { after: P20BD, action: outcome, outcome: no-answer }
                    - key: interested
                      name: Interested
                      outcomes:
                        - { key: agreed, label: Agreed, to: agreed }
                        - { key: declined, label: Declined, to: declined }
                  ends:
                    - { key: agreed, name: Agreed, kind: success }
                    - { key: declined, name: Declined, kind: failure }
                    - { key: no-answer, name: No answer, kind: failure }
                  join:
                    - { when: "tracks.agreed >= 1", outcome: partner-found }
                    - { when: "tracks.open == 0", outcome: back-to-matching }
              - key: agreement
                name: Agreement
                role: broker
                outcomes:
                  - { key: signed, label: Signed, to: completed }
        end-states:
          - { key: completed, name: Completed, kind: success }
          - { key: withdrawn, name: Withdrawn, kind: failure }
        """;
}
