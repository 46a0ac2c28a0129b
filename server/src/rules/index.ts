/** The rules engine's public API: pure functions over rules text, no editor types. */
export * from './diagnostics';
export * from './tokens';
export * from './parse';
export * from './model';
export * from './codes';
export * from './check';
export * from './match';
export * from './ruleset';
export * from './describe';
