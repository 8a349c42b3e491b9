import { z } from 'zod';

// Imported before any schema is built (zod reads this when a schema is constructed): each schema parses a handful
// of values per page, so compiling zod's fast paths (new Function) would cost more than it saves.
z.config({ jitless: true });
