export { CallLog, FakeFileSystem, type RecordedCall } from '@stockroom/panel-photoshop/fake';
export { FakeBin, FakeClip, FakeMarker, FakePremiere, FakeProject, FakeSequence, FakeTickTime, fileUrl, TICKS_PER_SECOND } from './fake-premiere.ts';
export { fakePremiereFs, fakePremiereUxp, type FakeFolderPicker } from './fake-uxp.ts';
export { mediaFacts, type MediaFacts } from './media-facts.ts';
