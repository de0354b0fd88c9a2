// The package version, put in by the build (scripts/build.mjs); sources run by tsx say 0.0.0-dev.
declare const __AOAI_KEYLESS_VERSION__: string | undefined;
export const VERSION = typeof __AOAI_KEYLESS_VERSION__ === 'string' ? __AOAI_KEYLESS_VERSION__ : '0.0.0-dev';
