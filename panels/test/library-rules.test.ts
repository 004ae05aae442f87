/** The rules behind the panel's library screens, without a browser: fast, one case a line. */
import type { Asset, Derivative } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import { thumbnailPresetFor } from '../core/src/bridge/thumbnails.ts';
import { applyLiveEvent } from '../core/src/state/live-events.ts';
import { initialState } from '../core/src/state/panel-state.ts';
import { PersonalLists, pushFront } from '../core/src/state/personal-lists.ts';
import { placeRefusal } from '../core/src/state/placeability.ts';
import { nextCardIndex } from '../core/src/ui/grid-keys.ts';
import { photoshopCannotPlace } from '../photoshop/src/host/place-rules.ts';
import { premiereCannotImport } from '../premiere/src/host/import-rules.ts';

const ID = '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10';
const person = { id: '11111111-1111-4111-8111-111111111111', name: 'Alice Designer', email: 'alice@example.test' };

function asset(kind: Asset['kind'], originalName: string, mimeType: string, size = 1000): Asset {
  return {
    id: ID,
    name: originalName,
    description: '',
    kind,
    tags: [],
    metadata: {},
    collectionId: null,
    headVersion: 1,
    head: {
      assetId: ID,
      number: 1,
      sha256: 'a'.repeat(64),
      size,
      mimeType,
      originalName,
      comment: '',
      author: person,
      clientApp: 'web',
      restoredFrom: null,
      metadata: {},
      createdAt: '',
      contentUrl: '',
    },
    lock: null,
    createdBy: person,
    createdAt: '',
    updatedAt: '',
    deletedAt: null,
  };
}

function failed(preset: string, failureReason: string, failure: string): Derivative {
  return {
    id: ID,
    assetId: ID,
    versionNumber: 1,
    preset,
    status: 'failed',
    sha256: null,
    mimeType: null,
    size: null,
    width: null,
    height: null,
    durationSeconds: null,
    data: {},
    contentUrl: null,
    failureReason,
    failure,
    updatedAt: '',
  };
}

describe('which thumbnail a file has', () => {
  it('follows the server presets: thumbnail for stills and video, waveform for sound, none where none is made', () => {
    const preset = (originalName: string, mimeType: string, size = 10) => thumbnailPresetFor({ originalName, mimeType, size });
    expect(preset('hero.jpg', 'image/jpeg')).toBe('thumbnail');
    expect(preset('poster.psd', 'image/vnd.adobe.photoshop')).toBe('thumbnail');
    expect(preset('guide.pdf', 'application/pdf')).toBe('thumbnail');
    expect(preset('film.mov', 'video/quicktime')).toBe('thumbnail');
    expect(preset('tone.ogg', 'audio/ogg')).toBe('waveform');
    expect(preset('take', 'audio/x-wav')).toBe('waveform');
    expect(preset('Brand.otf', 'font/otf')).toBeNull();
    expect(preset('brief.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBeNull();
    expect(preset('empty.png', 'image/png', 0)).toBeNull();
  });
});

describe('what a host cannot place', () => {
  const photoshop = { cannotPlace: photoshopCannotPlace };
  const premiere = { cannotPlace: premiereCannotImport };

  it('Photoshop: no sound, no fonts, no office files; images, PDF and video are placed', () => {
    expect(placeRefusal(asset('audio', 'tone.wav', 'audio/wav'), null, photoshop)).toMatch(/^Photoshop cannot place sound\./);
    expect(placeRefusal(asset('font', 'Brand.otf', 'font/otf'), null, photoshop)).toMatch(/font file/);
    expect(placeRefusal(asset('document', 'brief.docx', 'application/octet-stream'), null, photoshop)).toMatch(/cannot place DOCX files/);
    for (const [kind, name, mime] of [
      ['image', 'hero.jpg', 'image/jpeg'],
      ['design', 'logo.ai', 'application/postscript'],
      ['document', 'guide.pdf', 'application/pdf'],
      ['video', 'film.mp4', 'video/mp4'],
    ] as const) {
      expect(placeRefusal(asset(kind, name, mime), [], photoshop)).toBeNull();
    }
  });

  it('Premiere Pro: sound and video are imported, fonts and text files are not', () => {
    expect(placeRefusal(asset('audio', 'tone.wav', 'audio/wav'), null, premiere)).toBeNull();
    expect(placeRefusal(asset('video', 'film.mp4', 'video/mp4'), null, premiere)).toBeNull();
    expect(placeRefusal(asset('font', 'Brand.otf', 'font/otf'), null, premiere)).toMatch(/font file/);
    expect(placeRefusal(asset('other', 'shot-list.txt', 'text/plain'), null, premiere)).toMatch(/cannot import TXT files/);
  });

  it('any host: empty files, and files the server could not read (not ones that merely timed out)', () => {
    expect(placeRefusal(asset('image', 'empty.png', 'image/png', 0), null, photoshop)).toBe('empty.png is empty (0 bytes). Check in the real file first.');
    const damaged = asset('image', 'scan.jpg', 'image/jpeg');
    expect(placeRefusal(damaged, [failed('thumbnail', 'corrupt-file', 'The image is damaged or incomplete.')], photoshop)).toBe(
      'Stockroom could not read scan.jpg. The image is damaged or incomplete.',
    );
    expect(placeRefusal(damaged, [failed('thumbnail', 'timeout', 'Took too long.')], photoshop)).toBeNull();
    expect(placeRefusal({ ...damaged, head: null, headVersion: 0 }, null, photoshop)).toBe('This asset has no version yet.');
  });
});

describe('personal lists', () => {
  it('keeps favourites and recents per server and person, and survives storage that refuses', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value) };
    const lists = new PersonalLists(storage);
    lists.saveLists('https://a.example', 'alice', { favourites: ['1'], recents: ['2', '3'] });
    expect(lists.lists('https://a.example', 'alice')).toEqual({ favourites: ['1'], recents: ['2', '3'] });
    expect(lists.lists('https://a.example', 'bob')).toEqual({ favourites: [], recents: [] });
    expect(lists.lists('https://b.example', 'alice')).toEqual({ favourites: [], recents: [] });
    lists.saveView({ layout: 'list', size: 500 });
    expect(lists.view()).toEqual({ layout: 'list', size: 192 });
    data.set('stockroom.browseView', '{not json');
    expect(lists.view()).toBeNull();

    const refusing = new PersonalLists({
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    expect(() => refusing.saveLists('https://a.example', 'alice', { favourites: ['1'], recents: [] })).not.toThrow();
    expect(refusing.lists('https://a.example', 'alice')).toEqual({ favourites: [], recents: [] });
  });

  it('puts the latest first, once, and keeps at most thirty recents', () => {
    expect(pushFront(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    const many = Array.from({ length: 40 }, (_, i) => String(i));
    expect(pushFront(many, 'new')).toHaveLength(30);
  });
});

describe('new assets while browsing a shelf', () => {
  it('appear in their own collection only, never in favourites or recents', () => {
    const other = '22222222-2222-4222-8222-222222222222';
    const created = { ...asset('image', 'new.jpg', 'image/jpeg'), collectionId: other };
    const inShelf = (shelf: ReturnType<typeof initialState>['shelf']) =>
      applyLiveEvent({ ...initialState(''), shelf }, 'asset.created', { asset: created }).hits?.length ?? 0;
    expect(inShelf(null)).toBe(1);
    expect(inShelf({ type: 'collection', id: other, name: 'Spring' })).toBe(1);
    expect(inShelf({ type: 'collection', id: ID, name: 'Brand' })).toBe(0);
    expect(inShelf({ type: 'favourites' })).toBe(0);
    expect(inShelf({ type: 'recent' })).toBe(0);
  });
});

describe('arrow keys in the grid', () => {
  // Three columns, rows 100 px apart; the last row has one card.
  const cards = Array.from({ length: 7 }, (_, i) => ({ offsetTop: Math.floor(i / 3) * 100, offsetLeft: (i % 3) * 90 })) as unknown as HTMLElement[];

  it('moves left and right in order, up and down by the laid-out rows, and stops at the edges', () => {
    expect(nextCardIndex(cards, 1, 'ArrowRight')).toBe(2);
    expect(nextCardIndex(cards, 0, 'ArrowLeft')).toBe(0);
    expect(nextCardIndex(cards, 1, 'ArrowDown')).toBe(4);
    expect(nextCardIndex(cards, 4, 'ArrowUp')).toBe(1);
    expect(nextCardIndex(cards, 5, 'ArrowDown')).toBe(6); // the nearest card of a shorter last row
    expect(nextCardIndex(cards, 6, 'ArrowDown')).toBe(6);
    expect(nextCardIndex(cards, 1, 'ArrowUp')).toBe(1);
    expect(nextCardIndex(cards, 4, 'End')).toBe(6);
    expect(nextCardIndex(cards, 4, 'Home')).toBe(0);
    expect(nextCardIndex(cards, 4, 'Enter')).toBeNull();
  });
});
