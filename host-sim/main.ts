// Placeholder until the simulator lands (issue 4): say so clearly instead of failing silently.
console.error("moddable-coaps simulator: not built yet. It will start two simulated nodes with `coaps` consoles.");
process.exit(2);
