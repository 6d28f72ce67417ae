import { useEffect, useId, useRef, useState } from 'preact/hooks'
import {
  THREAD_KINDS,
  type CreateThreadBody,
  type ProposalScope,
  type Thread,
  type ThreadKind,
} from '../../../shared/api/threads'
import { LIMITS } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { createThread, fetchThread } from '../../api/threads'
import { contribute, fetchLive, fetchWorkshop } from '../../api/workshops'
import { Button } from '../../components/buttons'
import { FormError, fieldErrorsFrom } from '../../components/errors'
import { TextArea } from '../../components/fields'
import { MentionTextArea } from '../../components/threads/mention-textarea'
import type { CommentTarget } from '../../editor/create-editor'
import { t } from '../../i18n'
import { location } from '../../router'

/**
 * The workshop this document page follows (`?workshop=<id>`) while it runs and the reader
 * attends it, or null: then a new thread may be recorded as the reader's workshop contribution.
 */
function useRunningWorkshop(): { workshopId: string; title: string } | null {
  const workshopId = location.value.search.get('workshop')
  const [found, setFound] = useState<{ workshopId: string; title: string } | null>(null)
  useEffect(() => {
    setFound(null)
    if (!workshopId) {
      return
    }
    let stale = false
    Promise.all([fetchLive(workshopId), fetchWorkshop(workshopId)]).then(
      ([live, workshop]) => {
        if (!stale && live.state === 'running' && live.me.attendeeId !== null) {
          setFound({ workshopId, title: workshop.title })
        }
      },
      () => undefined,
    )
    return () => {
      stale = true
    }
  }, [workshopId])
  return found
}

/**
 * The form that starts a thread: its kind, its text and, for a proposed change, the
 * replacement and what it replaces. The passage was captured when the form opened (the
 * selection may move while one writes), as Yjs relative positions that follow later edits.
 */
export function CommentComposer({
  processId,
  documentId,
  target,
  onPosted,
  onCancel,
}: {
  processId: string
  documentId: string
  target: CommentTarget
  onPosted: (thread: Thread) => void
  onCancel: () => void
}) {
  const id = useId()
  const [kind, setKind] = useState<ThreadKind>('comment')
  const [body, setBody] = useState('')
  const [replacement, setReplacement] = useState('')
  // A passage within one paragraph may be replaced; a wider one only as the whole section.
  const [scope, setScope] = useState<ProposalScope>(target.singleBlock ? 'range' : 'section')
  const [bodyError, setBodyError] = useState<string | undefined>()
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const workshop = useRunningWorkshop()
  const [inWorkshop, setInWorkshop] = useState(true)

  async function submit(event?: Event) {
    event?.preventDefault()
    if (busy) {
      return
    }
    if (!body.trim()) {
      setBodyError(t('validation.required'))
      formRef.current?.querySelector<HTMLTextAreaElement>(`#${CSS.escape(`${id}-body`)}`)?.focus()
      return
    }
    setBodyError(undefined)
    const request: CreateThreadBody = {
      sectionId: target.sectionId,
      kind,
      body: body.trim(),
      ...(target.anchor ? { anchor: target.anchor } : {}),
      ...(kind === 'proposal' ? { proposal: { scope, text: replacement } } : {}),
    }
    setBusy(true)
    setError(null)
    try {
      let thread: Thread
      if (workshop && inWorkshop) {
        // Recorded in the running workshop (issue 13, item 5): an ordinary thread of the
        // section on the selected passage, with origin "workshop" and the attendee's group.
        const saved = await contribute(workshop.workshopId, {
          kind,
          body: body.trim(),
          sectionId: target.sectionId,
          ...(target.anchor ? { anchor: target.anchor } : {}),
          ...(kind === 'proposal' ? { proposal: replacement, proposalScope: scope } : {}),
        })
        thread = await fetchThread(saved.threadId!)
      } else {
        thread = await createThread(documentId, request)
      }
      onPosted(thread)
    } catch (e) {
      const apiError = toApiError(e)
      setError(apiError)
      setBodyError(fieldErrorsFrom(apiError).body)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      ref={formRef}
      class="comment-composer"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault()
          onCancel()
        }
      }}
    >
      <h3 id={`${id}-title`} class="composer-title">
        {t('comments.composer.title', { section: target.sectionTitle })}
      </h3>
      {target.anchor ? (
        <figure class="composer-quote">
          <figcaption>{t('comments.composer.passage')}</figcaption>
          <blockquote>{target.anchor.quote}</blockquote>
        </figure>
      ) : (
        <p class="composer-note">{t('comments.composer.wholeSection')}</p>
      )}
      <FormError id={`${id}-error`} error={error} />
      {workshop ? (
        <label class="checkbox composer-workshop" for={`${id}-workshop`}>
          <input
            type="checkbox"
            id={`${id}-workshop`}
            checked={inWorkshop}
            onChange={(e) => setInWorkshop(e.currentTarget.checked)}
          />{' '}
          {t('workshops.composer.record', { title: workshop.title })}
        </label>
      ) : null}

      <fieldset class="composer-kinds">
        <legend>{t('comments.composer.kind')}</legend>
        <div class="composer-kind-list">
          {THREAD_KINDS.map((value) => (
            <label key={value} class="composer-kind" for={`${id}-kind-${value}`}>
              <input
                type="radio"
                id={`${id}-kind-${value}`}
                name={`${id}-kind`}
                value={value}
                checked={kind === value}
                onChange={() => {
                  setKind(value)
                  // A change to a passage starts from the passage as it reads now.
                  if (value === 'proposal' && !replacement && target.singleBlock && target.anchor) {
                    setReplacement(target.anchor.quote)
                  }
                }}
              />
              <span>{t(`threads.kind.${value}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <MentionTextArea
        id={`${id}-body`}
        label={t(`comments.composer.body.${kind}`)}
        hint={t('comments.composer.bodyHint')}
        processId={processId}
        value={body}
        onValue={(value) => {
          setBody(value)
          setBodyError(undefined)
        }}
        error={bodyError}
        rows={4}
        autoFocus
        onSubmitShortcut={() => void submit()}
      />

      {kind === 'proposal' ? (
        <>
          <fieldset class="composer-scope">
            <legend>{t('comments.composer.scope')}</legend>
            <label class="composer-kind" for={`${id}-scope-range`}>
              <input
                type="radio"
                id={`${id}-scope-range`}
                name={`${id}-scope`}
                value="range"
                checked={scope === 'range'}
                disabled={!target.singleBlock}
                aria-describedby={target.singleBlock ? undefined : `${id}-scope-why`}
                onChange={() => setScope('range')}
              />
              <span>{t('comments.composer.scopeRange')}</span>
            </label>
            <label class="composer-kind" for={`${id}-scope-section`}>
              <input
                type="radio"
                id={`${id}-scope-section`}
                name={`${id}-scope`}
                value="section"
                checked={scope === 'section'}
                onChange={() => setScope('section')}
              />
              <span>{t('comments.composer.scopeSection')}</span>
            </label>
            {target.singleBlock ? null : (
              <p id={`${id}-scope-why`} class="field-hint">
                {target.anchor
                  ? t('comments.composer.scopeSpans')
                  : t('comments.composer.scopeNoPassage')}
              </p>
            )}
          </fieldset>
          <TextArea
            id={`${id}-replacement`}
            label={t('comments.composer.proposalText')}
            hint={t('comments.composer.proposalHint')}
            value={replacement}
            onValue={setReplacement}
            maxLength={LIMITS.proposalTextMax}
            rows={4}
            class="composer-replacement"
          />
        </>
      ) : null}

      <div class="composer-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('comments.composer.submit')}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}
