import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';
import { registerAdminMethods } from './admin-methods.ts';
import { registerAssetsMethods } from './assets-methods.ts';
import { registerAuditMethods } from './audit-methods.ts';
import { registerBrandKitsMethods } from './brand-kits-methods.ts';
import { registerCollectionsMethods } from './collections-methods.ts';
import { registerCommentsMethods } from './comments-methods.ts';
import { registerDerivativesMethods } from './derivatives-methods.ts';
import { registerGrantsMethods } from './grants-methods.ts';
import { registerGroupsMethods } from './groups-methods.ts';
import { registerInvitationsMethods } from './invitations-methods.ts';
import { registerJobsMethods } from './jobs-methods.ts';
import { registerLibraryMethods } from './library-methods.ts';
import { registerFavouriteMethods } from './favourites-methods.ts';
import { registerMetadataMethods } from './metadata-methods.ts';
import { registerPlacementsMethods } from './placements-methods.ts';
import { registerReviewsMethods } from './reviews-methods.ts';
import { registerSharesMethods } from './shares-methods.ts';
import { registerTokensMethods } from './tokens-methods.ts';
import { registerUsersMethods } from './users-methods.ts';
import { registerVersionsMethods } from './versions-methods.ts';

/** Binds every method of the contract, one rpc/<namespace>-methods.ts per namespace. */
export function registerAllMethods(registry: MethodRegistry, s: MethodServices): void {
  registerAdminMethods(registry, s);
  registerAssetsMethods(registry, s);
  registerAuditMethods(registry, s);
  registerBrandKitsMethods(registry, s);
  registerCollectionsMethods(registry, s);
  registerCommentsMethods(registry, s);
  registerDerivativesMethods(registry, s);
  registerGrantsMethods(registry, s);
  registerGroupsMethods(registry, s);
  registerInvitationsMethods(registry, s);
  registerJobsMethods(registry, s);
  registerLibraryMethods(registry, s);
  registerFavouriteMethods(registry, s);
  registerMetadataMethods(registry, s);
  registerPlacementsMethods(registry, s);
  registerReviewsMethods(registry, s);
  registerSharesMethods(registry, s);
  registerTokensMethods(registry, s);
  registerUsersMethods(registry, s);
  registerVersionsMethods(registry, s);
}
