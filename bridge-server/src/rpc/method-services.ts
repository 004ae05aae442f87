import type { AdminStatsService } from '../services/admin-stats.ts';
import type { AssetsService } from '../services/assets.ts';
import type { AuditService } from '../services/audit.ts';
import type { BrandKitsService } from '../services/brand-kits.ts';
import type { ClientsService } from '../services/clients.ts';
import type { CollectionChangesService } from '../services/collection-changes.ts';
import type { CollectionsService } from '../services/collections.ts';
import type { CommentsService } from '../services/comments.ts';
import type { DerivativesService } from '../services/derivatives.ts';
import type { GrantsService } from '../services/grants.ts';
import type { GroupsService } from '../services/groups.ts';
import type { JobsService } from '../services/jobs.ts';
import type { LibraryService } from '../services/library.ts';
import type { LocksService } from '../services/locks.ts';
import type { PlacementsService } from '../services/placements.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import type { ReviewsService } from '../services/reviews.ts';
import type { SearchService } from '../services/search.ts';
import type { SharesService } from '../services/shares.ts';
import type { TokensService } from '../services/tokens.ts';
import type { UsersService } from '../services/users.ts';
import type { VersionsService } from '../services/versions.ts';

/** Every service a method handler calls; each rpc/<namespace>-methods.ts takes the ones it needs. */
export interface MethodServices {
  assets: AssetsService;
  locks: LocksService;
  versions: VersionsService;
  collections: CollectionsService;
  collectionChanges: CollectionChangesService;
  placements: PlacementsService;
  clients: ClientsService;
  users: UsersService;
  tokens: TokensService;
  groups: GroupsService;
  grants: GrantsService;
  audit: AuditService;
  limits?: RateLimits;
  comments: CommentsService;
  reviews: ReviewsService;
  shares: SharesService;
  brandKits: BrandKitsService;
  library: LibraryService;
  derivatives: DerivativesService;
  jobs: JobsService;
  adminStats: AdminStatsService;
  search: SearchService;
}
