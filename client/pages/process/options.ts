import type { StakeholderGroup } from '../../../shared/api/processes'
import { ROLES } from '../../../shared/domain/roles'
import type { Option } from '../../components/fields'
import { t } from '../../i18n'
import { groupLabel } from '../../state/process'

/** The five roles, translated, most powerful first. */
export function roleOptions(): Option[] {
  return ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))
}

/** The process's stakeholder groups, translated or as labelled by the secretariat. */
export function groupOptions(groups: readonly StakeholderGroup[]): Option[] {
  return groups.map((g) => ({ value: g.key, label: groupLabel(g.key, groups) }))
}
