export { CallLog, type RecordedCall } from './call-log.ts';
export { FakeDocument, FakePhotoshop, type FakeLayer } from './fake-photoshop.ts';
export { FakeFileSystem, fakeSecureStorage, fakeShell, fakeUxpModule, type FakeEntry } from './fake-uxp.ts';
