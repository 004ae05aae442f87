export * from './errors.ts';
export * from './dto.ts';
export * from './events.ts';
export * from './methods.ts';
export * from './envelopes.ts';
export * from './uploads.ts';
export * from './search.ts';
export * from './admin.ts';
