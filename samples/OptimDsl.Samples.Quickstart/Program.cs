using System;

Console.WriteLine("OptimDsl quickstart");
