// Real processes, real cgroups and a 2-core machine shared with others: run the tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
