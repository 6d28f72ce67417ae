import { sql, type ExpressionBuilder, type Insertable, type SelectQueryBuilder } from 'kysely'
import type {
  CommentRow,
  CommentsTable,
  Database,
  Executor,
  ThreadRow,
  ThreadsTable,
} from '../db/database'

/** A thread with its root comment and its document's title, as lists and detail views read it. */
export interface ThreadWithRoot {
  thread: ThreadRow
  root: CommentRow
  documentTitle: string
  /** The language of the document it was written on; null for the process's main language. */
  documentLanguage: string | null
  replyCount: number
  endorsementCount: number
  /** The public address of the consultation the thread came from, if any. */
  consultationSlug: string | null
  consultationTitle: Record<string, string> | null
  /** The name of the version the answer points to, if any. */
  answerVersionName: string | null
  /** The workshop the thread was recorded in, if any (issue 13, item 5). */
  workshopTitle: string | null
  /** The facilitator who recorded it on an attendee's behalf, if so. */
  workshopRecordedBy: string | null
}

/** What a thread list may filter on, already checked by the route's schema. */
export interface ThreadFilters {
  processId: string
  documentId?: string
  sectionId?: string
  group?: string
  kind?: string
  status?: string
  authorId?: string
  /** Threads from one consultation. */
  consultationId?: string
  /** Public comments (from consultations), members' own threads, or threads from workshops. */
  origin?: 'public' | 'members' | 'workshop'
  q?: string
  /** Which threads by the visibility of their root comment. */
  hidden: 'exclude' | 'include' | 'only'
  /**
   * With `hidden: 'exclude'`, still list the hidden threads this person opened: an author sees
   * their own hidden item, marked, with the reason (issue 15, item 2).
   */
  ownHiddenOf?: string
}

const THREAD_COLUMNS = [
  't.id',
  't.process_id',
  't.document_id',
  't.number',
  't.section_id',
  't.section_title',
  't.kind',
  't.status',
  't.anchor_start',
  't.anchor_end',
  't.quote',
  't.proposal_scope',
  't.proposal_text',
  't.created_by',
  't.created_at',
  't.last_activity_at',
  't.status_by_name',
  't.status_at',
  't.applied',
  't.consultation_id',
  't.workshop_id',
  't.submission_count',
  't.disposition',
  't.answer',
  't.answer_version_id',
  't.answer_section_id',
  't.answer_section_title',
  't.answered_at',
  't.answered_by_name',
  't.written_version_id',
] as const

const ROOT_COLUMNS = [
  'r.id as r_id',
  'r.thread_id as r_thread_id',
  'r.process_id as r_process_id',
  'r.is_root as r_is_root',
  'r.author_id as r_author_id',
  'r.author_name as r_author_name',
  'r.author_group as r_author_group',
  'r.author_organisation as r_author_organisation',
  'r.author_role as r_author_role',
  'r.body as r_body',
  'r.created_at as r_created_at',
  'r.edited_at as r_edited_at',
  'r.withdrawn_at as r_withdrawn_at',
  'r.hidden_at as r_hidden_at',
  'r.hidden_by_name as r_hidden_by_name',
  'r.hidden_reason as r_hidden_reason',
  'r.self_declared as r_self_declared',
  'r.pending as r_pending',
] as const

type Joined = SelectQueryBuilder<
  Database & { t: ThreadsTable; r: CommentsTable; d: Database['documents'] },
  't' | 'r' | 'd',
  object
>

/** `%text%` for ILIKE, with the pattern characters of `text` taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * A document, its other languages and the documents they continue: threads anchor by section
 * id, which a translation shares with its source (migration 0025) and a review cycle's working
 * document with the adopted one it continues (migration 0016). So a document's thread list
 * includes the threads written on it in every language (each once: a thread belongs to the
 * one document it was written on) and those of earlier cycles.
 */
function documentLineage(documentId: string) {
  return sql<string>`(
    WITH RECURSIVE family AS (
      SELECT coalesce(source_document_id, id) AS root FROM documents WHERE id = ${documentId}::uuid
    ), lineage(id, depth) AS (
      SELECT ${documentId}::uuid, 0
      UNION
      SELECT d.id, 0 FROM documents d, family f
      WHERE (d.id = f.root OR d.source_document_id = f.root) AND d.deleted_at IS NULL
      UNION ALL
      SELECT d.predecessor_id, lineage.depth + 1
      FROM documents d JOIN lineage ON d.id = lineage.id
      WHERE d.predecessor_id IS NOT NULL AND lineage.depth < 50
    )
    SELECT id FROM lineage
  )`
}

function baseThreadQuery(db: Executor): Joined {
  return db
    .selectFrom('threads as t')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
    )
    .innerJoin('documents as d', 'd.id', 't.document_id')
    .where('d.deleted_at', 'is', null) as unknown as Joined
}

function applyFilters(query: Joined, filters: ThreadFilters): Joined {
  let q = query.where('t.process_id', '=', filters.processId)
  if (filters.documentId) {
    q = q.where('t.document_id', 'in', documentLineage(filters.documentId))
  }
  if (filters.sectionId) {
    q = q.where('t.section_id', '=', filters.sectionId)
  }
  if (filters.group) {
    q = q.where('r.author_group', '=', filters.group)
  }
  if (filters.kind) {
    q = q.where('t.kind', '=', filters.kind)
  }
  if (filters.status) {
    q = q.where('t.status', '=', filters.status)
  }
  if (filters.authorId) {
    q = q.where('r.author_id', '=', filters.authorId)
  }
  if (filters.consultationId) {
    q = q.where('t.consultation_id', '=', filters.consultationId)
  }
  if (filters.origin === 'public') {
    q = q.where('t.consultation_id', 'is not', null)
  } else if (filters.origin === 'members') {
    q = q.where('t.consultation_id', 'is', null).where('t.workshop_id', 'is', null)
  } else if (filters.origin === 'workshop') {
    q = q.where('t.workshop_id', 'is not', null)
  }
  if (filters.hidden === 'exclude' && filters.ownHiddenOf !== undefined) {
    const own = filters.ownHiddenOf
    q = q.where((eb) => eb.or([eb('r.hidden_at', 'is', null), eb('r.author_id', '=', own)]))
  } else if (filters.hidden === 'exclude') {
    q = q.where('r.hidden_at', 'is', null)
  } else if (filters.hidden === 'only') {
    q = q.where('r.hidden_at', 'is not', null)
  }
  if (filters.q) {
    const pattern = containsPattern(filters.q)
    // Text that is withdrawn or hidden is not searchable: a search must not reveal it (issue 5, item 7).
    q = q.where((eb) =>
      eb.or([
        eb.and([
          eb('r.withdrawn_at', 'is', null),
          eb('r.hidden_at', 'is', null),
          eb(sql`r.body`, 'ilike', pattern),
        ]),
        eb.and([
          eb('r.hidden_at', 'is', null),
          eb('r.withdrawn_at', 'is', null),
          eb(sql`coalesce(t.quote, '')`, 'ilike', pattern),
        ]),
        eb.and([
          eb('r.hidden_at', 'is', null),
          eb('r.withdrawn_at', 'is', null),
          eb(sql`coalesce(t.proposal_text, '')`, 'ilike', pattern),
        ]),
        eb.exists(
          eb
            .selectFrom('comments as c')
            .select(sql`1`.as('one'))
            .whereRef('c.thread_id', '=', 't.id')
            .where('c.is_root', '=', false)
            .where('c.withdrawn_at', 'is', null)
            .where('c.hidden_at', 'is', null)
            .where(sql`c.body`, 'ilike', pattern),
        ),
      ]),
    )
  }
  return q
}

// Replies everyone may count: not hidden. Withdrawn replies keep their place and count.
function visibleReplyCount(eb: ExpressionBuilder<any, any>, moderator: boolean) {
  let sub = eb
    .selectFrom('comments as c')
    .select(eb.fn.countAll<string>().as('n'))
    .whereRef('c.thread_id', '=', 't.id')
    .where('c.is_root', '=', false)
  if (!moderator) {
    sub = sub.where('c.hidden_at', 'is', null)
  }
  return sub.as('reply_count')
}

function endorsementCount(eb: ExpressionBuilder<any, any>) {
  return eb
    .selectFrom('endorsements as e')
    .select(eb.fn.countAll<string>().as('n'))
    .whereRef('e.thread_id', '=', 't.id')
    .as('endorsement_count')
}

const EXTRA_KEYS = new Set([
  'document_title',
  'document_language',
  'reply_count',
  'endorsement_count',
  'consultation_slug',
  'consultation_title',
  'answer_version_name',
  'workshop_title',
  'workshop_recorded_by',
])

function toThreadWithRoot(row: Record<string, unknown>): ThreadWithRoot {
  const thread: Record<string, unknown> = {}
  const root: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith('r_')) {
      root[key.slice(2)] = value
    } else if (!EXTRA_KEYS.has(key)) {
      thread[key] = value
    }
  }
  return {
    thread: thread as unknown as ThreadRow,
    root: root as unknown as CommentRow,
    documentTitle: row.document_title as string,
    documentLanguage: (row.document_language as string | null) ?? null,
    replyCount: Number(row.reply_count ?? 0),
    endorsementCount: Number(row.endorsement_count ?? 0),
    consultationSlug: (row.consultation_slug as string | null) ?? null,
    consultationTitle: (row.consultation_title as Record<string, string> | null) ?? null,
    answerVersionName: (row.answer_version_name as string | null) ?? null,
    workshopTitle: (row.workshop_title as string | null) ?? null,
    workshopRecordedBy: (row.workshop_recorded_by as string | null) ?? null,
  }
}

function selectThreadWithRoot(query: Joined, moderator: boolean) {
  return query.select((eb) => [
    ...THREAD_COLUMNS,
    ...ROOT_COLUMNS,
    'd.title as document_title',
    'd.language as document_language',
    visibleReplyCount(eb, moderator),
    endorsementCount(eb),
    eb
      .selectFrom('consultations as cn')
      .select('cn.slug')
      .whereRef('cn.id', '=', 't.consultation_id')
      .as('consultation_slug'),
    eb
      .selectFrom('consultations as cn')
      .select('cn.title')
      .whereRef('cn.id', '=', 't.consultation_id')
      .as('consultation_title'),
    eb
      .selectFrom('document_versions as av')
      .select('av.name')
      .whereRef('av.id', '=', 't.answer_version_id')
      .as('answer_version_name'),
    eb
      .selectFrom('workshops as ws')
      .select('ws.title')
      .whereRef('ws.id', '=', 't.workshop_id')
      .as('workshop_title'),
    eb
      .selectFrom('workshop_contributions as wc')
      .select('wc.recorded_by_name')
      .whereRef('wc.thread_id', '=', 't.id')
      .limit(1)
      .as('workshop_recorded_by'),
  ])
}

/** The threads matching `filters`, one page in the given order, and how many match in all. */
export async function listThreads(
  db: Executor,
  filters: ThreadFilters,
  page: { sort: 'recent' | 'endorsements'; limit: number; offset: number; moderator: boolean },
): Promise<{ items: ThreadWithRoot[]; total: number }> {
  const filtered = applyFilters(baseThreadQuery(db), filters)
  const countRow = await filtered
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst()
  let query = selectThreadWithRoot(filtered, page.moderator)
  query =
    page.sort === 'endorsements'
      ? query.orderBy('endorsement_count', 'desc').orderBy('t.last_activity_at', 'desc')
      : query.orderBy('t.last_activity_at', 'desc')
  const rows = await query
    .orderBy('t.number', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return {
    items: rows.map((row) => toThreadWithRoot(row as Record<string, unknown>)),
    total: Number(countRow?.n ?? 0),
  }
}

/** Every matching thread's id, document, section and creation time: enough to order by section. */
export function listThreadKeys(db: Executor, filters: ThreadFilters) {
  return applyFilters(baseThreadQuery(db), filters)
    .select(['t.id', 't.document_id', 't.section_id', 't.number', 'd.title as document_title'])
    .execute()
}

/** Threads by id, with their roots (in no particular order). */
export async function listThreadsByIds(
  db: Executor,
  ids: string[],
  moderator: boolean,
): Promise<ThreadWithRoot[]> {
  if (ids.length === 0) {
    return []
  }
  const rows = await selectThreadWithRoot(
    baseThreadQuery(db).where('t.id', 'in', ids),
    moderator,
  ).execute()
  return rows.map((row) => toThreadWithRoot(row as Record<string, unknown>))
}

/** One thread of a live document, with its root; undefined for unknown ids and deleted documents. */
export async function findThread(
  db: Executor,
  threadId: string,
  moderator = true,
): Promise<ThreadWithRoot | undefined> {
  const [found] = await listThreadsByIds(db, [threadId], moderator)
  return found
}

/** Locks a thread's row until the transaction ends: changes of status and applying a proposal take turns. */
export function lockThread(trx: Executor, threadId: string) {
  return trx
    .selectFrom('threads')
    .selectAll()
    .where('id', '=', threadId)
    .forUpdate()
    .executeTakeFirst()
}

/** Hands out the next thread number of a process (takes the process row's lock until commit). */
export async function nextThreadNumber(trx: Executor, processId: string): Promise<number> {
  const row = await trx
    .updateTable('processes')
    .set((eb) => ({ thread_seq: eb('thread_seq', '+', 1) }))
    .where('id', '=', processId)
    .returning('thread_seq')
    .executeTakeFirstOrThrow()
  return Number(row.thread_seq)
}

export function insertThread(trx: Executor, values: Insertable<ThreadsTable>) {
  return trx.insertInto('threads').values(values).returningAll().executeTakeFirstOrThrow()
}

export function insertComment(trx: Executor, values: Insertable<CommentsTable>) {
  return trx.insertInto('comments').values(values).returningAll().executeTakeFirstOrThrow()
}

export function findComment(db: Executor, commentId: string) {
  return db.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst()
}

/** A thread's opening comment. */
export function findRootComment(db: Executor, threadId: string) {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('thread_id', '=', threadId)
    .where('is_root', '=', true)
    .executeTakeFirstOrThrow()
}

export function lockComment(trx: Executor, commentId: string) {
  return trx
    .selectFrom('comments')
    .selectAll()
    .where('id', '=', commentId)
    .forUpdate()
    .executeTakeFirst()
}

/** The replies of a thread, oldest first. */
export function listReplies(db: Executor, threadId: string) {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('thread_id', '=', threadId)
    .where('is_root', '=', false)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function updateComment(
  trx: Executor,
  commentId: string,
  values: Partial<Insertable<CommentsTable>>,
) {
  return trx
    .updateTable('comments')
    .set(values)
    .where('id', '=', commentId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function insertRevision(trx: Executor, commentId: string, body: string) {
  return trx.insertInto('comment_revisions').values({ comment_id: commentId, body }).execute()
}

export function updateThread(
  trx: Executor,
  threadId: string,
  values: Partial<Insertable<ThreadsTable>>,
) {
  return trx.updateTable('threads').set(values).where('id', '=', threadId).execute()
}

export function touchThread(trx: Executor, threadId: string) {
  return trx
    .updateTable('threads')
    .set({ last_activity_at: sql`now()` as unknown as string })
    .where('id', '=', threadId)
    .execute()
}

/** Takes a per-person lock until the transaction ends: one person's posts are counted and stored in turn. */
export async function lockPoster(trx: Executor, userId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('concord-post'), hashtext(${userId}))`.execute(
    trx,
  )
}

/** How many comments and replies a person posted since `since`, across every process. */
export async function countRecentComments(
  db: Executor,
  authorId: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('author_id', '=', authorId)
    .where('created_at', '>', since)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Endorsement counts per stakeholder group, and the caller's own, for a set of threads. */
export async function listEndorsements(db: Executor, threadIds: string[], userId: string) {
  if (threadIds.length === 0) {
    return { byThread: new Map<string, Record<string, number>>(), mine: new Set<string>() }
  }
  const rows = await db
    .selectFrom('endorsements')
    .select(['thread_id', 'stakeholder_group'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('thread_id', 'in', threadIds)
    .groupBy(['thread_id', 'stakeholder_group'])
    .execute()
  const own = await db
    .selectFrom('endorsements')
    .select('thread_id')
    .where('thread_id', 'in', threadIds)
    .where('user_id', '=', userId)
    .execute()
  const byThread = new Map<string, Record<string, number>>()
  for (const row of rows) {
    const groups = byThread.get(row.thread_id) ?? {}
    groups[row.stakeholder_group] = Number(row.n)
    byThread.set(row.thread_id, groups)
  }
  return { byThread, mine: new Set(own.map((row) => row.thread_id)) }
}

/** Adds an endorsement unless the member has one already (parallel requests count once). */
export function insertEndorsement(
  db: Executor,
  values: { thread_id: string; user_id: string; stakeholder_group: string; organisation: string },
) {
  return db
    .insertInto('endorsements')
    .values(values)
    .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doNothing())
    .execute()
}

export function deleteEndorsement(db: Executor, threadId: string, userId: string) {
  return db
    .deleteFrom('endorsements')
    .where('thread_id', '=', threadId)
    .where('user_id', '=', userId)
    .execute()
}

/** Open flags on a set of comments: their count, and whether `userId` raised one. */
export async function listOpenFlagCounts(db: Executor, commentIds: string[], userId: string) {
  if (commentIds.length === 0) {
    return { counts: new Map<string, number>(), mine: new Set<string>() }
  }
  const rows = await db
    .selectFrom('flags')
    .select(['comment_id'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .select((eb) =>
      eb.fn.max(eb.case().when('user_id', '=', userId).then(1).else(0).end()).as('mine'),
    )
    .where('comment_id', 'in', commentIds)
    .where('closed_at', 'is', null)
    .groupBy('comment_id')
    .execute()
  return {
    counts: new Map(rows.map((row) => [row.comment_id, Number(row.n)])),
    mine: new Set(rows.filter((row) => Number(row.mine) === 1).map((row) => row.comment_id)),
  }
}

export function insertFlag(
  db: Executor,
  values: {
    comment_id: string
    process_id: string
    user_id: string
    user_name: string
    reason: string
  },
) {
  return db.insertInto('flags').values(values).execute()
}

/** Closes the open flags of a comment; returns how many were open. */
export async function closeFlags(trx: Executor, commentId: string): Promise<number> {
  const result = await trx
    .updateTable('flags')
    .set({ closed_at: sql`now()` as unknown as string })
    .where('comment_id', '=', commentId)
    .where('closed_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export function insertModerationEntry(
  trx: Executor,
  values: {
    process_id: string
    comment_id: string
    thread_id: string
    action: string
    reason: string
    moderator_id: string
    moderator_name: string
  },
) {
  return trx.insertInto('moderation_log').values(values).execute()
}

/** Comments of a process with open flags (and not hidden), or hidden ones, newest first. */
export function listModerationComments(
  db: Executor,
  processId: string,
  state: 'flagged' | 'hidden' | 'pending',
) {
  let query = db
    .selectFrom('comments as c')
    .innerJoin('threads as t', 't.id', 'c.thread_id')
    .innerJoin('documents as d', 'd.id', 't.document_id')
    .selectAll('c')
    .select([
      't.number as thread_number',
      't.document_id',
      't.section_title',
      't.kind as thread_kind',
    ])
    .where('c.process_id', '=', processId)
    .where('d.deleted_at', 'is', null)
  query =
    state === 'pending'
      ? query.where('c.pending', '=', true).orderBy('c.created_at')
      : state === 'hidden'
        ? query
            .where('c.hidden_at', 'is not', null)
            .where('c.pending', '=', false)
            .orderBy('c.hidden_at', 'desc')
        : query
            .where('c.hidden_at', 'is', null)
            .where((eb) =>
              eb.exists(
                eb
                  .selectFrom('flags as f')
                  .select(sql`1`.as('one'))
                  .whereRef('f.comment_id', '=', 'c.id')
                  .where('f.closed_at', 'is', null),
              ),
            )
            .orderBy('c.created_at', 'desc')
  return query.limit(500).execute()
}

/** The flags on a set of comments (open ones only for the queue), oldest first. */
export function listFlags(db: Executor, commentIds: string[], openOnly: boolean) {
  if (commentIds.length === 0) {
    return Promise.resolve([])
  }
  let query = db.selectFrom('flags').selectAll().where('comment_id', 'in', commentIds)
  if (openOnly) {
    query = query.where('closed_at', 'is', null)
  }
  return query.orderBy('created_at').execute()
}

export function listModerationLog(db: Executor, processId: string, limit: number) {
  return db
    .selectFrom('moderation_log as m')
    .innerJoin('threads as t', 't.id', 'm.thread_id')
    .select([
      'm.id',
      'm.action',
      'm.reason',
      'm.moderator_name',
      'm.comment_id',
      'm.thread_id',
      'm.created_at',
      't.number as thread_number',
    ])
    .where('m.process_id', '=', processId)
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute()
}

/** Open threads per section of a document and author group; hidden threads never count. */
export function countOpenThreads(db: Executor, documentId: string) {
  return db
    .selectFrom('threads as t')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
    )
    .select(['t.section_id', 'r.author_group'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('t.document_id', 'in', documentLineage(documentId))
    .where('t.status', '=', 'open')
    .where('r.hidden_at', 'is', null)
    .where('r.withdrawn_at', 'is', null)
    .groupBy(['t.section_id', 'r.author_group'])
    .execute()
}

/** Keeps each thread's last known section title current, so a removed section still has its name. */
export async function updateSectionTitles(
  db: Executor,
  documentId: string,
  titles: Map<string, string>,
) {
  for (const [sectionId, title] of titles) {
    await db
      .updateTable('threads')
      .set({ section_title: title })
      .where('document_id', '=', documentId)
      .where('section_id', '=', sectionId)
      .where('section_title', '<>', title)
      .execute()
  }
}

/** The members of a process among `userIds`, with their e-mail, name and interface language. */
export function listMembersAmong(db: Executor, processId: string, userIds: string[]) {
  if (userIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.locale', 'm.role'])
    .where('m.process_id', '=', processId)
    .where('u.id', 'in', userIds)
    .execute()
}

/** The recorded section texts of threads (issue 14, item 3), by thread id; threads without one are left out. */
export async function listWrittenSections(
  db: Executor,
  threadIds: readonly string[],
): Promise<Map<string, unknown>> {
  if (threadIds.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('threads')
    .select(['id', 'written_section'])
    .where('id', 'in', threadIds)
    .where('written_section', 'is not', null)
    .execute()
  return new Map(rows.map((r) => [r.id, r.written_section]))
}

/** The newest version of a document, as a thread written now is written against it. */
export function findLatestVersionId(db: Executor, documentId: string) {
  return db
    .selectFrom('document_versions')
    .select('id')
    .where('document_id', '=', documentId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The frozen version a consultation shows, which its public comments are written on. */
export function findConsultationVersionId(db: Executor, consultationId: string) {
  return db
    .selectFrom('consultations')
    .select('version_id as id')
    .where('id', '=', consultationId)
    .executeTakeFirst()
}
