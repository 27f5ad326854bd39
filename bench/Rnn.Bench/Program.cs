using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Rnn.Bench -- --filter '*'   (BenchmarkDotNet's own arguments)
BenchmarkSwitcher.FromAssembly(typeof(RnnNative.Bench.InferenceBenchmarks).Assembly).Run(args);
