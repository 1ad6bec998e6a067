/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig's isolatedModules makes ts-jest transpile each file alone: type-checking is done once
    // by `npm run typecheck`, not per test file.
    '^.+\\.tsx?$': ['ts-jest', {}],
    // llama-tokenizer-js ships ESM only; transpile it to CommonJS for Jest.
    '^.+llama-tokenizer-js.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!llama-tokenizer-js/)'],
  setupFiles: ['<rootDir>/test/support/isolate-env.js'],
  // Most suites wait on loopback servers and time-compressed local endpoints, not on the CPU (a
  // whole run averages well under one core), so four workers on the 2-core machine finish in
  // about 100 s where two took about 280 s.
  maxWorkers: 4,
  testTimeout: 60000,
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
