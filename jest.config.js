/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // isolatedModules: type-checking is done once by `npm run typecheck`, not per test file.
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true }],
    // llama-tokenizer-js ships ESM only; transpile it to CommonJS for Jest.
    '^.+llama-tokenizer-js.+\\.js$': ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!llama-tokenizer-js/)'],
  setupFiles: ['<rootDir>/test/support/isolate-env.js'],
  testTimeout: 60000,
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
