// Response and error body schemas, one import for specs and deviation pins.
export * from './responses.ts';
export * from './errors.ts';
