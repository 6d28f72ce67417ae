import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001_accounts'
import * as m0002 from './0002_processes'
import * as m0003 from './0003_audit'
import * as m0004 from './0004_document_state'
import * as m0005 from './0005_threads'
import * as m0006 from './0006_versions'
import * as m0007 from './0007_consultations'
import * as m0008 from './0008_submission_email_key'
import * as m0009 from './0009_sign_in_security'
import * as m0010 from './0010_workshops'
import * as m0012 from './0012_notification_reason'
import * as m0014 from './0014_process_stages'
import * as m0016 from './0016_adoption'
import * as m0017 from './0017_thread_written_text'
import * as m0020 from './0020_public_home'
import * as m0025 from './0025_translations'

/** Every migration, in order. A static list keeps them bundled and free of file-system globbing. */
export const migrations: Record<string, Migration> = {
  '0001_accounts': m0001,
  '0002_processes': m0002,
  '0003_audit': m0003,
  '0004_document_state': m0004,
  '0005_threads': m0005,
  '0006_versions': m0006,
  '0007_consultations': m0007,
  '0008_submission_email_key': m0008,
  '0009_sign_in_security': m0009,
  '0010_workshops': m0010,
  '0012_notification_reason': m0012,
  '0014_process_stages': m0014,
  '0016_adoption': m0016,
  '0017_thread_written_text': m0017,
  '0020_public_home': m0020,
  '0025_translations': m0025,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
}
