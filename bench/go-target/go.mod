module podbench/bench/go-target

go 1.22
