// Public API of the orkestra package. Modules add their exports here as they land.
export {};
