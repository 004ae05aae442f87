/**
 * The batchPlay descriptors the Photoshop adapter sends. Kept as pure functions so
 * tests can assert them exactly. `_path` takes a session token from
 * `localFileSystem.createSessionToken(entry)`, never a plain path.
 */
import type { ActionDescriptor } from 'photoshop/dom/CoreModules';

const noDialogs = { dialogOptions: 'dontDisplay' } as const;

/** File > Place Embedded / Place Linked, centred in the active document. */
export function placeDescriptor(sessionToken: string, linked: boolean): ActionDescriptor {
  return {
    _obj: 'placeEvent',
    null: { _path: sessionToken, _kind: 'local' },
    linked,
    freeTransformCenterState: { _enum: 'quadCenterState', _value: 'QCSAverage' },
    offset: {
      _obj: 'offset',
      horizontal: { _unit: 'pixelsUnit', _value: 0 },
      vertical: { _unit: 'pixelsUnit', _value: 0 },
    },
    _options: noDialogs,
  };
}

export function selectLayerDescriptor(layerId: number): ActionDescriptor {
  return {
    _obj: 'select',
    _target: [{ _ref: 'layer', _id: layerId }],
    makeVisible: false,
    _options: noDialogs,
  };
}

/** Renames the selected layer (placed layers are named after the cached file otherwise). */
export function renameLayerDescriptor(layerId: number, name: string): ActionDescriptor {
  return {
    _obj: 'set',
    _target: [{ _ref: 'layer', _id: layerId }],
    to: { _obj: 'layer', name },
    _options: noDialogs,
  };
}

/** Points the selected linked smart object at another file. */
export function relinkDescriptor(sessionToken: string): ActionDescriptor {
  return { _obj: 'placedLayerRelinkToFile', null: { _path: sessionToken, _kind: 'local' }, _options: noDialogs };
}

/** Replaces the contents of the selected embedded smart object with another file. */
export function replaceContentsDescriptor(sessionToken: string): ActionDescriptor {
  return { _obj: 'placedLayerReplaceContents', null: { _path: sessionToken, _kind: 'local' }, _options: noDialogs };
}
