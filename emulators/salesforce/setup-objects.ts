/**
 * @module emulators/salesforce/setup-objects
 * The setup sObjects the sandbox serves beside the data objects, with the fields their object
 * reference lists:
 * - `PermissionSet` (key prefix 0PS): one record per permission set deployed through the Metadata
 *   API. https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm
 * - `PermissionSetAssignment` (0Pa): assigns a permission set to a user; a user holds a permission
 *   set once (DUPLICATE_VALUE otherwise). https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
 * - `PushTopic` (0IF): a Streaming API channel `/topic/<Name>` defined by a SOQL query.
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_pushtopic.htm
 */
import { field, systemFields } from './schema.js'
import type { FieldDef, ObjectDef } from './schema.js'

const audit = (label: string): FieldDef[] => systemFields(label).filter((f) => f.name !== 'OwnerId' && f.name !== 'Id' && f.name !== 'IsDeleted')
const idAndDeleted = (label: string): FieldDef[] => systemFields(label).filter((f) => f.name === 'Id' || f.name === 'IsDeleted')
const createOnly = { updateable: false }

export function permissionSetObject(): ObjectDef {
  return {
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    custom: false,
    fields: [
      ...idAndDeleted('Permission Set'),
      field('Name', 'Name', 'string', { length: 80, nillable: false, idLookup: true, nameField: true }),
      field('Label', 'Label', 'string', { length: 80, nillable: false }),
      field('Description', 'Description', 'string', { length: 255 }),
      field('IsOwnedByProfile', 'Is Owned By Profile', 'boolean', { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
      field('NamespacePrefix', 'Namespace Prefix', 'string', { length: 15, createable: false, updateable: false }),
      ...audit('Permission Set'),
    ],
  }
}

export function permissionSetAssignmentObject(): ObjectDef {
  return {
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    custom: false,
    fields: [
      ...idAndDeleted('Permission Set Assignment'),
      field('AssigneeId', 'Assignee ID', 'reference', { ...createOnly, nillable: false, referenceTo: ['User'], relationshipName: 'Assignee' }),
      field('PermissionSetId', 'Permission Set ID', 'reference', {
        ...createOnly,
        nillable: false,
        referenceTo: ['PermissionSet'],
        relationshipName: 'PermissionSet',
        childRelationship: 'Assignments',
      }),
      ...audit('Permission Set Assignment'),
    ],
  }
}

export function pushTopicObject(): ObjectDef {
  const flag = (name: string, label: string) => field(name, label, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: true })
  return {
    name: 'PushTopic',
    label: 'Push Topic',
    labelPlural: 'Push Topics',
    keyPrefix: '0IF',
    custom: false,
    fields: [
      ...idAndDeleted('Push Topic'),
      // Name: at most 25 characters (object reference).
      field('Name', 'Topic Name', 'string', { length: 25, nillable: false, idLookup: true, unique: true, nameField: true }),
      field('Query', 'SOQL Query', 'string', { length: 1300, nillable: false }),
      field('ApiVersion', 'API Version', 'double', { precision: 18, scale: 1, nillable: false }),
      flag('IsActive', 'Is Active'),
      field('NotifyForFields', 'Notify For Fields', 'picklist', {
        length: 40,
        picklistValues: ['All', 'Referenced', 'Select', 'Where'],
        restrictedPicklist: true,
        defaultedOnCreate: true,
        defaultValue: 'Referenced',
      }),
      flag('NotifyForOperationCreate', 'Create'),
      flag('NotifyForOperationUpdate', 'Update'),
      flag('NotifyForOperationDelete', 'Delete'),
      flag('NotifyForOperationUndelete', 'Undelete'),
      field('Description', 'Description', 'string', { length: 400 }),
      ...audit('Push Topic'),
    ],
  }
}

/** Fields whose combination a record of the object must not share with another (the unique
 * index Salesforce keeps on them); checked on create. */
export const COMPOSITE_UNIQUE: Readonly<Record<string, readonly string[]>> = {
  PermissionSetAssignment: ['AssigneeId', 'PermissionSetId'],
}
